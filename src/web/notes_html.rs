//! Session notes as HTML for the page: the notes' Markdown rendered with raw
//! HTML shown as text, and links and images reduced to their words, so
//! nothing in the notes can run, load or lead anywhere.

use pulldown_cmark::{Event, Parser, Tag, TagEnd, html};

pub fn to_html(markdown: &str) -> String {
    let events = Parser::new(markdown).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link { .. } | Tag::Image { .. }) => None,
        Event::End(TagEnd::Link | TagEnd::Image) => None,
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_links_and_images_stay_words() {
        let html = to_html(
            "# Notes\n\n<script>alert(1)</script>\n\nSaid <b>this</b> [here](javascript:x) ![pic](http://x/y.png)",
        );
        assert!(html.contains("<h1>Notes</h1>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("&lt;b&gt;this&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<a "), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("here"), "{html}");
    }
}
