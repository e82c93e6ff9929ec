//! Sharing a session with coaches (by name, or a link whose token a coach opens) and comments on a
//! session or one of its turns. Whether the caller may do this to the session is checked before
//! (`access`); these functions do the work.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::clock::rfc3339;
use crate::domain::UserRole;
use crate::error::ApiError;
use crate::storage::{CommentRow, NewComment, ShareRow};

use super::{Accounts, User, hash_token, new_secret};

/// The longest comment, in bytes.
pub const MAX_COMMENT_BYTES: usize = 4 * 1024;

/// `POST /api/sessions/{id}/shares`: a coach by name, or a link.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewShare {
    /// Share with this coach (a user whose role is `coach`).
    #[serde(default)]
    pub coach: Option<String>,
    /// Make a share link instead: any coach who opens it gains access, until it is revoked.
    #[serde(default)]
    pub link: bool,
}

/// A share of a session.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShareView {
    pub id: String,
    pub session_id: String,
    /// `coach` (shared with a coach by name) or `link`.
    pub kind: &'static str,
    /// The coach's name, for a share by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coach: Option<String>,
    /// How many coaches opened the link.
    pub opened: i64,
    pub created_at: String,
    /// The link's token (open it with `POST /api/shares/open`, or the page at `/#/share/TOKEN`):
    /// only in the answer that made it; only its hash is stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl From<ShareRow> for ShareView {
    fn from(s: ShareRow) -> ShareView {
        ShareView {
            kind: if s.coach.is_some() { "coach" } else { "link" },
            id: s.id,
            session_id: s.session_id,
            coach: s.coach,
            opened: s.opened,
            created_at: rfc3339(s.created_at),
            token: None,
        }
    }
}

/// A comment by the session's owner or a coach it is shared with.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommentView {
    pub id: i64,
    pub session_id: String,
    pub author: String,
    pub author_role: UserRole,
    /// The turn commented on; `null` for the session as a whole.
    pub turn_id: Option<i64>,
    /// Plain text.
    pub body: String,
    pub created_at: String,
}

impl From<CommentRow> for CommentView {
    fn from(c: CommentRow) -> CommentView {
        CommentView {
            id: c.id,
            session_id: c.session_id,
            author: c.author,
            author_role: c.author_role,
            turn_id: c.turn_id,
            body: c.body,
            created_at: rfc3339(c.created_at),
        }
    }
}

impl Accounts {
    pub async fn share(&self, session_id: &str, share: NewShare) -> Result<ShareView, ApiError> {
        let id = uuid::Uuid::new_v4().to_string();
        let at = self.clock.now_ms();
        match (share.coach, share.link) {
            (Some(name), false) => {
                let coach = self
                    .storage
                    .user_by_name(&name)
                    .await?
                    .ok_or_else(|| ApiError::UserNotFound(name.clone()))?;
                if coach.role != UserRole::Coach {
                    return Err(ApiError::InvalidInput(format!(
                        "`{name}` is not a coach: sessions are shared with coaches"
                    )));
                }
                let row = self
                    .storage
                    .share_with_coach(&id, session_id, &coach.id, at)
                    .await?;
                Ok(row.into())
            }
            (None, true) => {
                let token = new_secret("mis_")?;
                let row = self
                    .storage
                    .share_link(&id, session_id, &hash_token(&token), at)
                    .await?;
                Ok(ShareView {
                    token: Some(token),
                    ..row.into()
                })
            }
            _ => Err(ApiError::InvalidInput(
                "give either `coach` (a coach's name) or `\"link\": true`".into(),
            )),
        }
    }

    pub async fn shares(&self, session_id: &str) -> Result<Vec<ShareView>, ApiError> {
        Ok(self
            .storage
            .shares_of(session_id)
            .await?
            .into_iter()
            .map(ShareView::from)
            .collect())
    }

    /// Revokes a share: the coach (or every coach who opened the link) loses access at once.
    pub async fn revoke_share(&self, session_id: &str, share_id: &str) -> Result<(), ApiError> {
        if self.storage.delete_share(session_id, share_id).await? {
            Ok(())
        } else {
            Err(ApiError::ShareNotFound)
        }
    }

    /// A coach opens a share link: the session it shares, now readable by them.
    pub async fn open_link(&self, coach: &User, token: &str) -> Result<String, ApiError> {
        if coach.role != UserRole::Coach {
            return Err(ApiError::Forbidden(
                "share links are for coaches: ask the candidate to share with you".into(),
            ));
        }
        self.storage
            .open_link(&hash_token(token.trim()), &coach.id, self.clock.now_ms())
            .await?
            .ok_or(ApiError::ShareNotFound)
    }

    pub async fn comments(&self, session_id: &str) -> Result<Vec<CommentView>, ApiError> {
        Ok(self
            .storage
            .comments(session_id)
            .await?
            .into_iter()
            .map(CommentView::from)
            .collect())
    }

    pub async fn comment(
        &self,
        author: &User,
        session_id: &str,
        turn_id: Option<i64>,
        body: &str,
    ) -> Result<CommentView, ApiError> {
        let body = body.trim();
        if body.is_empty() {
            return Err(ApiError::InvalidInput("the comment is empty".into()));
        }
        if body.len() > MAX_COMMENT_BYTES {
            return Err(ApiError::InvalidInput(format!(
                "the comment is {} bytes; the limit is {MAX_COMMENT_BYTES}",
                body.len()
            )));
        }
        if let Some(turn) = turn_id
            && !self.storage.turn_in_session(session_id, turn).await?
        {
            return Err(ApiError::InvalidInput(format!(
                "the session has no turn {turn}"
            )));
        }
        let row = self
            .storage
            .insert_comment(&NewComment {
                session_id,
                author_id: &author.id,
                turn_id,
                body,
                at: self.clock.now_ms(),
            })
            .await?;
        Ok(row.into())
    }
}
