-- The interviewer model a session used (the judge model is in `judge`).
ALTER TABLE sessions ADD COLUMN interviewer_model TEXT;
