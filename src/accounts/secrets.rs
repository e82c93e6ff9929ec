//! Secrets: argon2id password hashes (PHC strings, a random salt each) and API/share-link tokens,
//! 256 random bits shown once and stored only as their SHA-256 (a token is not guessable, so a
//! fast hash is enough, and lookup by hash needs no per-row salt).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};

/// The argon2id PHC string of `password`.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?
        .to_string())
}

/// Whether `password` matches the PHC string `hash` (false for a hash that does not parse).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A new token with its prefix (`mit_` for API tokens, `mis_` for share links): 256 random bits, hex.
pub fn new_secret(prefix: &str) -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(format!("{prefix}{}", hex::encode(bytes)))
}

/// What is stored for a token: its SHA-256, hex.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_hash_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horse!", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
        assert_ne!(hash, hash_password("correct horse").unwrap(), "a salt each");
    }

    #[test]
    fn tokens_are_random_and_stored_as_their_sha256() {
        let a = new_secret("mit_").unwrap();
        let b = new_secret("mit_").unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 64);
        let h = hash_token(&a);
        assert_eq!(h.len(), 64);
        assert_ne!(h, a);
        assert_eq!(h, hash_token(&a));
    }
}
