"""The admin's preview of a stored image: the whole picture, with each crop readers see marked on it.

Drawn as inline SVG, whose geometry is attributes rather than style, so it works under the
Content-Security-Policy that forbids inline style in the admin as everywhere else.
"""

from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from images.renditions import crop_box, nearest_rendition
from images.services import focus_of

# The preview uses the rendition nearest this width rather than the stored original, which can be
# a 20 MB camera file.
_PREVIEW_SOURCE_WIDTH = 800
_CROP_NAMES = {"card": "story cards", "square": "author photos"}


def crop_preview(instance: models.Model, field_name: str, *, width: int, alt: str) -> SafeString | str:
    """The picture at `width` CSS pixels with the cropped-away parts shaded and the focal point ringed,
    or a sentence saying why there is nothing to show yet."""
    picture_field = instance._meta.get_field(field_name)
    file: ImageFieldFile = getattr(instance, field_name)
    # An upload in a form that failed validation is on the instance but not in storage yet.
    if not file or not file._committed:
        return "Nothing saved yet. The image and its crop show here once it is saved."
    renditions = getattr(instance, picture_field.renditions_field) or {}
    if renditions.get("error"):
        return f"The stored image cannot be used ({renditions['error']}) Upload it again."
    if not file.width or not file.height:
        return "The stored image has no size recorded. Upload it again."
    full_w, full_h = file.width, file.height
    # Any rendition will do as the backdrop: every one has the picture's shape or is scaled to it here.
    backdrop = nearest_rendition(renditions, "full", file.storage, width=_PREVIEW_SOURCE_WIDTH)
    url = backdrop.url if backdrop else file.url
    focus = focus_of(instance, picture_field)
    crops = [crop for crop in picture_field.spec.crops if crop.aspect and not crop.for_crawlers]
    boxes = [crop_box((full_w, full_h), crop.aspect, focus) for crop in crops]
    names = " and ".join(_CROP_NAMES.get(crop.name, crop.name) for crop in crops)
    if all(box == (0, 0, full_w, full_h) for box in boxes):
        explained = f"{names.capitalize()} show the whole picture."
    else:
        explained = f"Shaded: what {names} cut away. Ring: the focal point."
    # Lines a couple of screen pixels wide whatever the picture's own size.
    stroke = max(1, round(2 * full_w / width))
    # The crops only search engines are given, outlined: the focal point moves them too.
    outlined = [
        crop_box((full_w, full_h), crop.aspect, focus)
        for crop in picture_field.spec.crops
        if crop.aspect and crop.for_crawlers
    ]
    if outlined:
        explained += " Dashed: the 4:3 and square crops search engines are given."
    outlines = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#fff" stroke-width="{}"'
        ' stroke-dasharray="{}"/>',
        ((left, top, right - left, bottom - top, stroke, stroke * 4) for left, top, right, bottom in outlined),
    )
    shades = format_html_join(
        "",
        '<path d="M0 0H{w}V{h}H0Z M{left} {top}V{bottom}H{right}V{top}Z" fill="#000" fill-opacity="0.55"'
        ' fill-rule="evenodd"/><rect x="{left}" y="{top}" width="{cw}" height="{ch}" fill="none" stroke="#fff"'
        ' stroke-width="{s}"/>',
        (
            {
                "w": full_w,
                "h": full_h,
                "left": left,
                "top": top,
                "right": right,
                "bottom": bottom,
                "cw": right - left,
                "ch": bottom - top,
                "s": stroke,
            }
            for left, top, right, bottom in boxes
        ),
    )
    return format_html(
        '<figure class="crop-preview">'
        '<svg viewBox="0 0 {w} {h}" width="{dw}" height="{dh}" role="img" aria-label="{alt}">'
        '<image href="{url}" x="0" y="0" width="{w}" height="{h}" preserveAspectRatio="none"/>{shades}{outlines}'
        '<circle cx="{fx}" cy="{fy}" r="{radius}" fill="none" stroke="#fff" stroke-width="{s}"/>'
        "</svg>"
        "<figcaption>{w} × {h} pixels. {explained}</figcaption>"
        "</figure>",
        w=full_w,
        h=full_h,
        dw=width,
        dh=round(width * full_h / full_w),
        alt=alt,
        url=url,
        shades=shades,
        outlines=outlines,
        fx=round(focus[0] * full_w),
        fy=round(focus[1] * full_h),
        radius=max(stroke * 4, round(min(full_w, full_h) / 30)),
        s=stroke,
        explained=explained,
    )
