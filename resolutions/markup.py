"""Staff-written Markdown as sanitised HTML: made once when a note is saved, never per request."""

import markdown as markdown_lib
import nh3

EXTENSIONS = ["extra", "sane_lists"]


def render_markdown(text: str) -> str:
    """HTML with no script, no style and no event handlers; links open safely."""
    html = markdown_lib.markdown(text or "", extensions=EXTENSIONS)
    return nh3.clean(html, link_rel="noopener noreferrer nofollow")
