"""Renditions: made once when an image is saved, in the sizes and formats the row records, cropped
around the focal point, made again when the image or its crop changes, and their files deleted
when nothing uses them any more."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from PIL import Image

from articles.models import Article
from images.renditions import rendition_files
from tests.factories import ArticleFactory, AuthorFactory
from tests.images.files import RED, image_bytes, image_upload, open_stored, stored_names, upload

# Once with uploads on the local disk, once in an S3 bucket (moto's server): the pipeline must not care.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_media_storage")]


def sizes(article_or_author, field: str, crop: str) -> list[tuple[int, int]]:
    return [(entry["width"], entry["height"]) for entry in getattr(article_or_author, field)["crops"][crop]]


def files_of(article: Article) -> list[str]:
    return sorted([article.hero_image.name, *rendition_files(article.hero_renditions)])


def test_hero_renditions_are_stored_in_every_width_as_webp_and_jpeg_with_the_sizes_recorded():
    article = ArticleFactory(hero_image=image_upload("hero.png", (1600, 900)), hero_alt="A convoy")

    crops = article.hero_renditions["crops"]
    assert sizes(article, "hero_renditions", "full") == [(480, 270), (800, 450), (1200, 675), (1600, 900)]
    assert sizes(article, "hero_renditions", "card") == [(480, 270), (800, 450), (1200, 675)]
    for crop in ("full", "card"):
        for entry in crops[crop]:
            assert set(entry["files"]) == {"webp", "jpeg"}
            for name, expected_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
                stored = open_stored(entry["files"][name])
                assert (stored.format, stored.size) == (expected_format, (entry["width"], entry["height"]))
    # A 16:9 picture's card crop is the whole picture: those renditions are stored once, not twice.
    assert stored_names() == files_of(article)
    assert len(stored_names()) == 1 + 4 * 2 + 2


def test_hero_gets_the_4_3_and_square_crops_search_engines_ask_for_as_one_jpeg_each():
    article = ArticleFactory(hero_image=image_upload("hero.png", (1600, 900)), hero_alt="A convoy")

    # As wide as IMAGE_STRUCTURED_DATA_WIDTHS (1200) allows; the square is as tall as the picture.
    assert sizes(article, "hero_renditions", "4x3") == [(1200, 900)]
    assert sizes(article, "hero_renditions", "1x1") == [(900, 900)]
    for crop in ("4x3", "1x1"):
        (entry,) = article.hero_renditions["crops"][crop]
        assert set(entry["files"]) == {"jpeg"}
        stored = open_stored(entry["files"]["jpeg"])
        assert (stored.format, stored.size) == ("JPEG", (entry["width"], entry["height"]))


def test_the_square_crop_follows_the_focal_point():
    # Left half red, right half blue: a square cut around a focal point on the right is all blue.
    picture = Image.new("RGB", (1600, 900), (255, 0, 0))
    picture.paste((0, 0, 255), (800, 0, 1600, 900))
    data = io.BytesIO()
    picture.save(data, format="PNG")
    article = ArticleFactory(
        hero_image=upload("halves.png", data.getvalue(), "image/png"),
        hero_alt="Two colours",
        hero_focus_x=90,
        hero_focus_y=50,
    )

    (entry,) = article.hero_renditions["crops"]["1x1"]
    red, _green, blue = open_stored(entry["files"]["jpeg"]).convert("RGB").getpixel((450, 450))
    assert blue > 200 and red < 60


def test_a_picture_is_never_enlarged_and_its_own_width_is_offered_instead():
    article = ArticleFactory(hero_image=image_upload("hero.png", (1000, 750)), hero_alt="A convoy")

    assert sizes(article, "hero_renditions", "full") == [(480, 360), (800, 600), (1000, 750)]
    # The 16:9 crop of 1000 × 750 is 1000 × 562.
    assert sizes(article, "hero_renditions", "card") == [(480, 270), (800, 450), (1000, 562)]


def test_widths_and_formats_follow_the_settings(settings):
    settings.IMAGE_WIDTHS = [320, 960]
    settings.IMAGE_FORMATS = ["jpeg"]

    article = ArticleFactory(hero_image=image_upload("hero.png", (1200, 675)), hero_alt="A convoy")

    assert sizes(article, "hero_renditions", "full") == [(320, 180), (960, 540)]
    assert {name for entry in article.hero_renditions["crops"]["full"] for name in entry["files"]} == {"jpeg"}


def portrait_with_red_band_near_the_bottom() -> bytes:
    picture = Image.new("RGB", (900, 1600), (40, 90, 160))
    picture.paste(RED, (0, 1400, 900, 1500))
    return _png(picture)


def test_card_crop_keeps_the_focal_point_in_frame():
    centred = ArticleFactory(hero_image=upload("p.png", portrait_with_red_band_near_the_bottom()), hero_alt="x")
    focused = ArticleFactory(
        hero_image=upload("p.png", portrait_with_red_band_near_the_bottom()), hero_alt="x", hero_focus_y=90
    )

    # 900 wide and 16:9 is 506 high: centred it spans 547-1053, on the focal point 1094-1600.
    for article, shows_band in ((centred, False), (focused, True)):
        card = article.hero_renditions["crops"]["card"][-1]
        assert (card["width"], card["height"]) == (900, 506)
        picture = open_stored(card["files"]["jpeg"]).convert("RGB")
        assert _is_red(picture.getpixel((450, 506 - 156))) is shows_band  # 1450 on the full picture


def test_author_photo_renditions_are_square_crops_in_the_photo_widths():
    author = AuthorFactory(photo=image_upload("face.png", (400, 500)))

    assert sizes(author, "photo_renditions", "square") == [(128, 128), (256, 256), (384, 384)]
    for entry in author.photo_renditions["crops"]["square"]:
        assert open_stored(entry["files"]["webp"]).size == (entry["width"], entry["width"])


def test_saving_without_touching_the_image_makes_no_new_files(django_capture_on_commit_callbacks):
    article = ArticleFactory(hero_image=image_upload("hero.png", (1200, 675)), hero_alt="A convoy")
    before, renditions = stored_names(), article.hero_renditions

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article.headline = "A corrected headline"
        article.save()

    assert stored_names() == before
    assert Article.objects.get().hero_renditions == renditions
    assert callbacks == []


def test_new_image_gets_new_renditions_and_the_old_files_go_once_the_change_is_committed(
    django_capture_on_commit_callbacks,
):
    article = ArticleFactory(hero_image=image_upload("first.png", (1200, 675)), hero_alt="A convoy")
    old_files = files_of(article)

    with django_capture_on_commit_callbacks() as callbacks:
        article.hero_image = image_upload("second.png", (1600, 900))
        article.save()
    # Until the commit, the old files stay: a rollback would leave the row pointing at them.
    assert set(old_files) <= set(stored_names())
    for callback in callbacks:
        callback()

    article.refresh_from_db()
    assert stored_names() == files_of(article)
    assert not set(old_files) & set(stored_names())
    assert sizes(article, "hero_renditions", "full")[-1] == (1600, 900)


def test_moving_the_focal_point_remakes_the_crops(django_capture_on_commit_callbacks):
    article = ArticleFactory(hero_image=upload("p.png", portrait_with_red_band_near_the_bottom()), hero_alt="x")
    old_card = article.hero_renditions["crops"]["card"][-1]["files"]["jpeg"]

    with django_capture_on_commit_callbacks(execute=True):
        article.hero_focus_y = 90
        article.save()

    new_card = article.hero_renditions["crops"]["card"][-1]["files"]["jpeg"]
    assert new_card != old_card
    assert _is_red(open_stored(new_card).convert("RGB").getpixel((450, 350)))
    assert stored_names() == files_of(article)


def test_removing_the_image_deletes_its_files_after_commit(django_capture_on_commit_callbacks):
    article = ArticleFactory(hero_image=image_upload("hero.png", (1200, 675)), hero_alt="A convoy")

    with django_capture_on_commit_callbacks(execute=True):
        article.hero_image = ""
        article.save()

    assert article.hero_renditions == {}
    assert stored_names() == []


@pytest.mark.parametrize("how", ["one", "bulk"])
def test_deleting_articles_and_authors_deletes_their_images_after_commit(django_capture_on_commit_callbacks, how):
    article = ArticleFactory(hero_image=image_upload("hero.png", (1200, 675)), hero_alt="A convoy")
    author = AuthorFactory(photo=image_upload("face.png", (300, 300)))
    assert len(stored_names()) > 2

    with django_capture_on_commit_callbacks(execute=True):
        if how == "one":
            article.delete()
        else:  # the admin's "delete selected" action
            Article.objects.filter(pk=article.pk).delete()
        author.delete()

    assert stored_names() == []


def test_a_save_that_fails_leaves_no_new_files_behind():
    ArticleFactory(slug="taken")

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="taken", hero_image=image_upload("hero.png", (1200, 675)), hero_alt="A convoy")

    assert stored_names() == []


def test_an_image_assigned_in_code_is_checked_like_an_upload():
    with pytest.raises(ValidationError) as refused:
        ArticleFactory(hero_image=upload("hero.jpg", b"<html><script>alert(1)</script></html>"), hero_alt="x")

    assert "not an image" in refused.value.message_dict["hero_image"][0]
    assert stored_names() == []


def test_a_reused_file_name_never_serves_the_old_pixels_from_a_cache(django_capture_on_commit_callbacks):
    article = ArticleFactory(hero_image=upload("hero.png", image_bytes(colour=(200, 0, 0))), hero_alt="x")
    first_name, first_card = article.hero_image.name, article.card_picture.src
    for colour in ((0, 200, 0), (0, 0, 200)):
        with django_capture_on_commit_callbacks(execute=True):
            article.hero_image = upload("hero.png", image_bytes(colour=colour))
            article.save()

    # The first file was deleted when the second replaced it, so the third got its name back; the
    # renditions' addresses carry a digest of the pixels, so a browser or CDN holding the first
    # picture's card cannot show it for the third.
    assert article.hero_image.name == first_name
    assert article.card_picture.src != first_card


def _png(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def _is_red(pixel: tuple) -> bool:
    return pixel[0] > 180 and pixel[1] < 70 and pixel[2] < 80
