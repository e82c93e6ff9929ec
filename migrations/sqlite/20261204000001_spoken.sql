-- A candidate answer spoken through POST /api/sessions/{id}/audio: stored as its transcription,
-- marked spoken, with the recording's length when known (for the pace on the scorecard).
ALTER TABLE turns ADD COLUMN spoken INTEGER NOT NULL DEFAULT 0;
ALTER TABLE turns ADD COLUMN speech_ms INTEGER;
