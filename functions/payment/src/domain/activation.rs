//! S8 "Активация подарочной карты": the code as the client typed it. billing knows the codes'
//! alphabet and normalises case and dashes; payment only refuses what cannot be a code at all,
//! before it costs a call or counts as a guess.

/// Longer than any code billing issues, with room for spaces and dashes typed in between.
pub const MAX_CODE_CHARS: usize = 64;

/// The entered code, trimmed; `None` when nothing usable was entered (no code, only blanks, or
/// more than `MAX_CODE_CHARS` characters).
pub fn entered_code(raw: Option<&str>) -> Option<String> {
    let code = raw?.trim();
    (!code.is_empty() && code.chars().count() <= MAX_CODE_CHARS).then(|| code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_trimmed_and_otherwise_kept_as_typed() {
        assert_eq!(
            entered_code(Some("  abcd efgh-JKLM\t")).as_deref(),
            Some("abcd efgh-JKLM")
        );
    }

    #[test]
    fn nothing_or_blanks_is_no_code() {
        assert_eq!(entered_code(None), None);
        assert_eq!(entered_code(Some("")), None);
        assert_eq!(entered_code(Some(" \t\n ")), None);
    }

    #[test]
    fn the_length_bound_counts_characters_not_bytes() {
        let cyrillic = "Ж".repeat(MAX_CODE_CHARS);
        assert_eq!(cyrillic.len(), 2 * MAX_CODE_CHARS);
        assert_eq!(entered_code(Some(&cyrillic)), Some(cyrillic.clone()));
        assert_eq!(entered_code(Some(&format!("{cyrillic}Ж"))), None);
        // Surrounding blanks do not count against it.
        assert!(entered_code(Some(&format!("  {cyrillic}  "))).is_some());
    }
}
