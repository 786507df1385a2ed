//! Money is integer kopecks; this is only how it is shown.

/// `123450` → `1 234,50 ₽` (narrow no-break space between thousands, as Russian typography has it).
pub fn format_rub(kopecks: i64) -> String {
    let sign = if kopecks < 0 { "-" } else { "" };
    let abs = kopecks.unsigned_abs();
    let rubles = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in rubles.chars().enumerate() {
        if i > 0 && (rubles.len() - i).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped},{:02}\u{a0}₽", abs % 100)
}

#[cfg(test)]
mod tests {
    use super::format_rub;

    #[test]
    fn formats_kopecks() {
        assert_eq!(format_rub(0), "0,00\u{a0}₽");
        assert_eq!(format_rub(123450), "1\u{202f}234,50\u{a0}₽");
        assert_eq!(format_rub(-5), "-0,05\u{a0}₽");
        assert_eq!(format_rub(100_000_000), "1\u{202f}000\u{202f}000,00\u{a0}₽");
    }
}
