"""The `<picture>` element, drawn in Python: for the story cards (articles/cards.py) and, through
`{% picture %}`, for templates; an include of a template cost about 0.3 ms an image.

Attribute values are escaped as the template escaped them (`html.escape`, which Django's
`escape` calls); the file addresses come from the renditions JSON and the storage, never from a reader.
"""

from html import escape

from images.renditions import Picture


def picture_html(picture: Picture, *, alt: str, sizes: str, css_class: str = "", eager: bool = False) -> str:
    """`<picture>` with a `<source>` per format and the JPEG `<img>`; lazily loaded unless `eager` (the one
    image at the top of a page, fetched first)."""
    sizes = escape(sizes)
    sources = "".join(
        f'<source type="{escape(source.type)}" srcset="{escape(source.srcset)}" sizes="{sizes}">'
        for source in picture.sources
    )
    extra = f' class="{escape(css_class)}"' if css_class else ""
    extra += ' fetchpriority="high"' if eager else ' loading="lazy" decoding="async"'
    return (
        f'<picture>{sources}<img src="{escape(picture.src)}" srcset="{escape(picture.srcset)}" sizes="{sizes}"'
        f' width="{picture.width}" height="{picture.height}" alt="{escape(alt)}"{extra}></picture>'
    )
