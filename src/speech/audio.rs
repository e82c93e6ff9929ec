//! The audio the service accepts: four container formats named by their `Content-Type`, and the
//! length of a WAV recording read from its header (for the pace when the transcription has none).

use std::io::Cursor;

/// A recording's format, as its `Content-Type` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioFormat {
    Wav,
    Webm,
    Ogg,
    Mpeg,
}

/// Every `Content-Type` essence accepted, aliases included (the 415 names the four main ones).
pub const ACCEPTED_TYPES: &[&str] = &[
    "audio/wav",
    "audio/x-wav",
    "audio/wave",
    "audio/vnd.wave",
    "audio/webm",
    "audio/ogg",
    "audio/mpeg",
    "audio/mp3",
];

impl AudioFormat {
    /// The format of a `Content-Type` (parameters such as `codecs=opus` ignored), or `None`.
    pub fn from_content_type(value: &str) -> Option<AudioFormat> {
        let essence = value.split(';').next()?.trim().to_ascii_lowercase();
        match essence.as_str() {
            "audio/wav" | "audio/x-wav" | "audio/wave" | "audio/vnd.wave" => Some(AudioFormat::Wav),
            "audio/webm" => Some(AudioFormat::Webm),
            "audio/ogg" => Some(AudioFormat::Ogg),
            "audio/mpeg" | "audio/mp3" => Some(AudioFormat::Mpeg),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            AudioFormat::Wav => "audio/wav",
            AudioFormat::Webm => "audio/webm",
            AudioFormat::Ogg => "audio/ogg",
            AudioFormat::Mpeg => "audio/mpeg",
        }
    }

    /// The file name sent with the upload: servers pick their decoder by its extension.
    pub fn file_name(self) -> &'static str {
        match self {
            AudioFormat::Wav => "answer.wav",
            AudioFormat::Webm => "answer.webm",
            AudioFormat::Ogg => "answer.ogg",
            AudioFormat::Mpeg => "answer.mp3",
        }
    }
}

/// The length of a WAV recording in milliseconds, from its header; `None` if it is not a WAV
/// hound can read, or declares no samples.
pub fn wav_duration_ms(bytes: &[u8]) -> Option<i64> {
    let reader = hound::WavReader::new(Cursor::new(bytes)).ok()?;
    let rate = reader.spec().sample_rate;
    let frames = reader.duration();
    if rate == 0 || frames == 0 {
        return None;
    }
    Some((u64::from(frames) * 1000 / u64::from(rate)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav(rate: u32, frames: u32) -> Vec<u8> {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut out = Cursor::new(Vec::new());
        let mut w = hound::WavWriter::new(&mut out, spec).unwrap();
        for i in 0..frames {
            w.write_sample((i % 100) as i16).unwrap();
        }
        w.finalize().unwrap();
        out.into_inner()
    }

    #[test]
    fn content_types_are_read_by_their_essence() {
        assert_eq!(
            AudioFormat::from_content_type("audio/webm;codecs=opus"),
            Some(AudioFormat::Webm)
        );
        assert_eq!(
            AudioFormat::from_content_type("Audio/WAV"),
            Some(AudioFormat::Wav)
        );
        assert_eq!(
            AudioFormat::from_content_type("audio/x-wav"),
            Some(AudioFormat::Wav)
        );
        assert_eq!(
            AudioFormat::from_content_type("audio/ogg; codecs=opus"),
            Some(AudioFormat::Ogg)
        );
        assert_eq!(
            AudioFormat::from_content_type("audio/mpeg"),
            Some(AudioFormat::Mpeg)
        );
        assert_eq!(AudioFormat::from_content_type("audio/mp4"), None);
        assert_eq!(AudioFormat::from_content_type("application/json"), None);
        for t in ACCEPTED_TYPES {
            assert!(AudioFormat::from_content_type(t).is_some(), "{t}");
        }
    }

    #[test]
    fn a_wav_header_gives_the_length() {
        assert_eq!(wav_duration_ms(&wav(16_000, 24_000)), Some(1_500));
        assert_eq!(wav_duration_ms(&wav(22_050, 22_050)), Some(1_000));
        assert_eq!(wav_duration_ms(b"OggS not a wav"), None);
        assert_eq!(wav_duration_ms(&wav(16_000, 0)), None);
    }
}
