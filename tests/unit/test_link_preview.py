"""Link previews of public event pages: the event's title and description go into the page's Open
Graph tags, escaped; events without a public page, and unknown slugs, give no preview."""

from __future__ import annotations

from portal_app.http import link_preview

PAGE = (b'<html><head><title>Event registration</title>'
        b'<meta property="og:title" content="Event registration"/>'
        b'<meta property="og:description" content="Register for this event: no account needed."/>'
        b'<meta property="og:image" content="http://x/event_preview.png"/></head><body></body></html>')


def test_the_tags_carry_the_event_escaped():
    page = link_preview.with_preview(PAGE, 'Q&A "live" <night>', "Bring <b>questions</b> & snacks")
    assert b'<meta property="og:title" content="Q&amp;A &quot;live&quot; &lt;night&gt;"/>' in page
    assert b'content="Bring &lt;b&gt;questions&lt;/b&gt; &amp; snacks"' in page
    assert b"<title>Q&amp;A &quot;live&quot; &lt;night&gt;</title>" in page
    assert b'og:image" content="http://x/event_preview.png"' in page  # the image stays


def test_tags_missing_from_the_html_are_added():
    page = link_preview.with_preview(b"<html><head><meta charSet=\"utf-8\"/></head><body></body></html>",
                                     "Portal training", "Learn the portal")
    head = page.split(b"</head>")[0]
    assert b"<title>Portal training</title>" in head
    assert b'<meta property="og:title" content="Portal training"/>' in head
    assert b'<meta property="og:description" content="Learn the portal"/>' in head
    assert b'<meta property="og:image" content="' in head and b"/event_preview.png" in head
    assert head.count(b"og:title") == 1


def test_no_description_uses_the_title():
    page = link_preview.with_preview(PAGE, "Portal training", "")
    assert b'og:description" content="Portal training"' in page


def test_only_public_events_have_a_preview(demo):
    title, description = link_preview.preview_of(demo.session, "portal-training")
    assert title == "Portal training" and description
    assert len(description) <= link_preview.DESCRIPTION_CHARS
    assert link_preview.preview_of(demo.session, "roadmap-2027") is None  # customers only: no public page
    assert link_preview.preview_of(demo.session, "no-such-event") is None
