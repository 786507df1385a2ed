//! Product pictures: a drawn card per product (category colour, a simple pictogram, brand and
//! type), generated from the catalog so that every product has a real image without shipping
//! hundreds of files.

use super::catalog::Product;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// A stable colour per category.
fn hue(category: &str) -> u32 {
    category
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
        % 360
}

pub fn svg(product: &Product) -> String {
    let h = hue(&product.category);
    let words: Vec<&str> = product.name.split_whitespace().collect();
    let line1 = words.iter().take(2).cloned().collect::<Vec<_>>().join(" ");
    let line2 = words
        .iter()
        .skip(2)
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    // The pictogram differs by the product id's last digit, so neighbours look different.
    let variant = product.id.bytes().last().unwrap_or(b'0') % 3;
    let shape = match variant {
        0 => format!(r#"<circle cx="200" cy="150" r="70" fill="hsl({h},55%,62%)"/>"#),
        1 => format!(
            r#"<rect x="135" y="85" width="130" height="130" rx="22" fill="hsl({h},55%,62%)"/>"#
        ),
        _ => format!(r#"<polygon points="200,75 280,225 120,225" fill="hsl({h},55%,62%)"/>"#),
    };
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400" role="img" aria-label="{label}"><rect width="400" height="400" fill="hsl({h},60%,94%)"/>{shape}<text x="200" y="285" font-family="sans-serif" font-size="26" font-weight="700" text-anchor="middle" fill="hsl({h},45%,25%)">{brand}</text><text x="200" y="322" font-family="sans-serif" font-size="20" text-anchor="middle" fill="hsl({h},30%,30%)">{line1}</text><text x="200" y="350" font-family="sans-serif" font-size="18" text-anchor="middle" fill="hsl({h},20%,40%)">{line2}</text></svg>"#,
        label = escape(&product.name),
        brand = escape(&product.brand),
        line1 = escape(&line1),
        line2 = escape(&line2),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_escapes_text_and_is_self_contained() {
        let p = Product {
            id: "p-1".into(),
            name: "Шампунь L'Oréal <Hydra>".into(),
            description: String::new(),
            category: "Красота".into(),
            brand: "L'Oréal".into(),
            price: 100,
            old_price: None,
            attributes: Default::default(),
        };
        let s = svg(&p);
        assert!(s.starts_with("<svg"));
        assert!(s.contains("&lt;Hydra&gt;"));
        assert!(!s.contains("<Hydra>"));
        assert!(
            !s.contains("http://") || s.matches("http://").count() == 1,
            "only the xmlns"
        );
    }
}
