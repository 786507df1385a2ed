//! SBP (the Faster Payments System): a dynamic payment link of NSPK's format — type 02, the sum
//! in kopecks, a checksum — that the payer's banking app opens from a QR code. In the sandbox
//! the link leads to the sandbox's payer page, which plays the payer's app.

use qrcode::{render::svg, QrCode};

/// `{base}/sbp/{id}?type=02&bank=…&sum=…&cur=RUB&crc=…`.
pub fn payment_link(base: &str, payment_id: &str, kopecks: i64) -> String {
    let unsigned =
        format!("{base}/sbp/{payment_id}?type=02&bank=100000000111&sum={kopecks}&cur=RUB");
    format!("{unsigned}&crc={:04X}", crc16(unsigned.as_bytes()))
}

/// CRC-16/CCITT-FALSE, the checksum of NSPK's links.
pub fn crc16(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for b in bytes {
        crc ^= u16::from(*b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// The link as a QR code, an SVG picture.
pub fn qr_svg(link: &str) -> String {
    match QrCode::new(link.as_bytes()) {
        Ok(code) => code
            .render::<svg::Color>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_is_ccitt_false() {
        assert_eq!(crc16(b"123456789"), 0x29B1);
    }

    #[test]
    fn the_link_carries_type_02_and_the_sum() {
        let link = payment_link("http://127.0.0.1:3030", "p-1", 123_450);
        assert!(link.contains("type=02"));
        assert!(link.contains("sum=123450"));
        assert!(link.contains("cur=RUB"));
        let (unsigned, crc) = link.rsplit_once("&crc=").unwrap();
        assert_eq!(crc, format!("{:04X}", crc16(unsigned.as_bytes())));
        assert!(qr_svg(&link).starts_with("<?xml"));
    }
}
