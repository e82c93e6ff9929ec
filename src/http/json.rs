//! A JSON extractor whose rejections are our own errors (400 malformed_json, 413, 415).

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The request body limit: well above the 16 KiB answer limit, so an over-long answer gets the precise
/// `answer_too_large` error, while anything bigger is refused before it is read.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

pub struct AppJson<T>(pub T);

impl<S, T> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(AppJson(v)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
                JsonRejection::BytesRejection(r)
                    if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE =>
                {
                    ApiError::BodyTooLarge {
                        limit: BODY_LIMIT_BYTES,
                    }
                }
                JsonRejection::JsonDataError(e) => ApiError::InvalidInput(e.body_text()),
                other => ApiError::MalformedJson(other.body_text()),
            }),
        }
    }
}
