-- An interviewer turn given as a hint (POST /api/sessions/{id}/hint), shown as such in the review
-- and counted on the scorecard.
ALTER TABLE turns ADD COLUMN hint INTEGER NOT NULL DEFAULT 0;
