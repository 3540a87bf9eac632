//! Tracking codes: 12 characters of Crockford's base 32 (digits and capitals without I, L, O and U,
//! so nothing reads as something else), shown as `XXXX-XXXX-XXXX`. That is 60 random bits from the
//! operating system's generator: guessing one code among a million complaints takes about 10^12
//! tries, against a filing and lookup budget of a few per hour and a thousand a minute per address.
//! Reading one back ignores case, spaces and hyphens, and takes O for 0 and I or L for 1, as
//! Crockford's alphabet intends for codes read over the phone or copied by hand.

use crate::error::{AppError, AppResult};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters in a code (hyphens aside).
pub const LEN: usize = 12;

/// A new random code, in its stored form (no hyphens).
pub fn generate() -> AppResult<String> {
    let mut bytes = [0u8; LEN];
    getrandom::fill(&mut bytes).map_err(|e| {
        AppError::Internal(anyhow::anyhow!("no randomness for a tracking code: {e}"))
    })?;
    // 256 is a multiple of 32: the low five bits of a uniform byte are uniform.
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[usize::from(b & 31)] as char)
        .collect())
}

/// `XXXXXXXXXXXX` as `XXXX-XXXX-XXXX`.
pub fn display(stored: &str) -> String {
    stored
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed, in its stored form; BAD_USER_INPUT naming `field` when it cannot be one.
pub fn parse(field: &str, typed: &str) -> AppResult<String> {
    let mut out = String::with_capacity(LEN);
    for ch in typed.chars() {
        let c = match ch.to_ascii_uppercase() {
            ' ' | '-' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
            _ => return Err(AppError::bad_input(field, "not a tracking code")),
        };
        out.push(c);
        if out.len() > LEN {
            break;
        }
    }
    if out.len() != LEN {
        return Err(AppError::bad_input(
            field,
            "a tracking code has 12 characters, e.g. 7K2D-9QXA-M4TB",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_however_they_are_typed() {
        let code = generate().unwrap();
        assert_eq!(code.len(), LEN);
        assert_eq!(parse("c", &display(&code)).unwrap(), code);
        assert_eq!(parse("c", &display(&code).to_lowercase()).unwrap(), code);
        assert_eq!(parse("c", "oiL0-1111-AAAA").unwrap(), "01101111AAAA");
        assert!(parse("c", "7K2D-9QXA-M4T").is_err());
        assert!(parse("c", "7K2D-9QXA-M4TBX").is_err());
        assert!(parse("c", "7K2D-9QXA-M4TU").is_err());
        assert_ne!(generate().unwrap(), generate().unwrap());
    }
}
