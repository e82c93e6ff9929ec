-- A candidate answer spoken through POST /api/sessions/{id}/audio: stored as its transcription,
-- marked spoken, with the recording's length when known (for the pace on the scorecard).
ALTER TABLE turns ADD COLUMN spoken BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE turns ADD COLUMN speech_ms BIGINT;
