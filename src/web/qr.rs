//! A join link as a QR code (SVG), so a partner's phone can open it from the
//! screen without typing a 32-digit token.

use qrcode::QrCode;
use qrcode::render::svg;

/// The SVG of `link`, or `None` if it is too long for a QR code.
pub fn svg(link: &str) -> Option<String> {
    let code = QrCode::new(link.as_bytes()).ok()?;
    Some(
        code.render::<svg::Color>()
            .min_dimensions(180, 180)
            .quiet_zone(true)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_link_becomes_an_svg() {
        let svg = super::svg("http://127.0.0.1:8080/#k=abc").unwrap();
        assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("</svg>"));
    }
}
