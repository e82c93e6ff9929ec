//! The closed sets of values the database and the API share: turn roles, session statuses, reply
//! sources, phase triggers, scorers, interviewer modes and recommendations. Each is stored and sent as
//! the same snake_case string (`sqlx::Type` and serde derive from one spelling), so the two cannot
//! drift apart, and a match over one of them does not compile until it handles every value.

use serde::{Deserialize, Serialize};

/// Defines an enum stored as TEXT and sent as JSON under the same snake_case names, with `as_str`.
macro_rules! closed_set {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema,
        )]
        #[serde(rename_all = "snake_case")]
        #[sqlx(rename_all = "snake_case")]
        // Stored as TEXT on both backends (PostgreSQL would otherwise look for a type of the enum's name).
        #[sqlx(type_name = "text")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The name in the database and on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

closed_set! {
    /// Who said a turn.
    TurnRole {
        Interviewer => "interviewer",
        Candidate => "candidate",
    }
}

closed_set! {
    /// Where a session stands.
    SessionStatus {
        Active => "active",
        /// Scored; no more turns.
        Finished => "finished",
    }
}

closed_set! {
    /// Who produced an interviewer turn.
    ReplySource {
        /// The offline interviewer, by configuration.
        Offline => "offline",
        /// An OpenAI-compatible model.
        Openai => "openai",
        /// The offline interviewer standing in for a model that could not be reached.
        OfflineFallback => "offline_fallback",
    }
}

closed_set! {
    /// What plays the interviewer for a session.
    InterviewerMode {
        Offline => "offline",
        Openai => "openai",
    }
}

impl From<InterviewerMode> for ReplySource {
    fn from(m: InterviewerMode) -> ReplySource {
        match m {
            InterviewerMode::Offline => ReplySource::Offline,
            InterviewerMode::Openai => ReplySource::Openai,
        }
    }
}

closed_set! {
    /// Why a session entered a phase.
    PhaseTrigger {
        /// The session's first phase, entered at creation.
        Start => "start",
        /// The candidate asked to move on (an advance, or saying so).
        Requested => "requested",
        /// The phase's time ran out.
        TimeUp => "time_up",
    }
}

closed_set! {
    /// Who graded a scorecard.
    Scorer {
        Offline => "offline",
        Llm => "llm",
        /// The judge model failed or was not believable; the offline scorer's card stands.
        OfflineFallback => "offline_fallback",
    }
}

closed_set! {
    /// The hiring recommendation of a scorecard, weakest first (the order is used in comparisons).
    Recommendation {
        StrongNoHire => "strong_no_hire",
        NoHire => "no_hire",
        Hire => "hire",
        StrongHire => "strong_hire",
    }
}

impl PartialOrd for Recommendation {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Recommendation {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (*self as u8).cmp(&(*other as u8))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde and `as_str` must agree, or the JSON and the database would disagree.
    fn same_names<T: Serialize + Copy>(all: &[T], as_str: fn(T) -> &'static str) {
        for v in all {
            let json = serde_json::to_value(v).unwrap();
            assert_eq!(json, serde_json::Value::String(as_str(*v).to_string()));
        }
    }

    #[test]
    fn every_value_has_one_spelling_in_json_and_in_the_database() {
        same_names(TurnRole::ALL, TurnRole::as_str);
        same_names(SessionStatus::ALL, SessionStatus::as_str);
        same_names(ReplySource::ALL, ReplySource::as_str);
        same_names(InterviewerMode::ALL, InterviewerMode::as_str);
        same_names(PhaseTrigger::ALL, PhaseTrigger::as_str);
        same_names(Scorer::ALL, Scorer::as_str);
        same_names(Recommendation::ALL, Recommendation::as_str);
    }

    #[test]
    fn recommendations_order_from_weakest_to_strongest() {
        assert!(Recommendation::StrongNoHire < Recommendation::NoHire);
        assert!(Recommendation::NoHire < Recommendation::Hire);
        assert!(Recommendation::Hire < Recommendation::StrongHire);
    }

    #[tokio::test]
    async fn the_database_stores_the_same_names() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let text: String = sqlx::query_scalar("SELECT ?")
            .bind(ReplySource::OfflineFallback)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(text, "offline_fallback");
        let back: PhaseTrigger = sqlx::query_scalar("SELECT 'time_up'")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(back, PhaseTrigger::TimeUp);
    }
}

closed_set! {
    /// What an account may do (`--auth password|token`).
    UserRole {
        /// Their own sessions only.
        Candidate => "candidate",
        /// Reads and comments on the sessions candidates shared with them.
        Coach => "coach",
        /// Manages users, sees usage and every session (read only).
        Admin => "admin",
    }
}
