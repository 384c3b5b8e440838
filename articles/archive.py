"""A newsroom's archive made up, for measuring the site at a real newsroom's size (manage.py generate_archive).

Years of stories in a dozen sections, a few hundred authors with bios, thousands of tags used the way
newsrooms use them (a few on every other story, most on a handful), bylines of one to three, a handful of
pictures shared by many stories, corrections, and threads of readers' comments crowded on some stories and
absent from most. Everything comes from one seeded random generator, so the same seed gives the same archive.

Rows go in with bulk_create, which skips save(): every column that save() derives is derived here by the
same functions (sanitize_html for bodies, render_comment_text and fingerprint for comments, the thread
root as Comment.save sets it, taggit's slug rule). The full-text index is the database's own (triggers
fire on every inserted row, migration 0009_search_index), and comment counts are counted at query time,
so neither needs anything from here. Pictures go through the image pipeline once each (clean copy and
renditions) and are then shared by many rows; deleting or re-illustrating one story leaves a picture's
files while another row still shows it (images/services.py, delete_unused_files).
"""

from __future__ import annotations

import io
import random
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from typing import TextIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageEnhance, ImageOps
from taggit.models import Tag

from articles.demo import demo_hero_image, ensure_sections
from articles.models import Article, Byline, Correction, Section, TaggedArticle
from authors.models import Author
from comments.models import Comment, fingerprint
from images.services import Change, bring_up_to_date
from newsroom.sanitize import render_comment_text, sanitize_html

BATCH_SIZE = 2_000
# Distinct story bodies and comment texts. Each is sanitized or rendered once (about a millisecond each, which
# for every row of a million would take most of an hour) and then shared by the rows that draw it; headlines,
# summaries, bylines and tags make each story its own.
BODY_POOL = 1_500
COMMENT_POOL = 4_000
# Distinct commenters (name and email address), most of whom comment on many stories.
READERS = 50_000

# Sections beyond the demo's four, as a general news site has them: name, description, share of stories.
EXTRA_SECTIONS: tuple[tuple[str, str], ...] = (
    ("Science", "Discoveries, research and the people behind them."),
    ("Technology", "The companies, tools and rules of the digital world."),
    ("Health", "Medicine, public health and the care systems that deliver it."),
    ("Environment", "Climate, nature and the fight over both."),
    ("Sport", "Results, transfers and the business of the game."),
    ("Opinion", "Columns and commentary from our writers and guests."),
)
# How the stories spread over sections, by slug: World and Politics carry most of a general news site.
SECTION_WEIGHTS = {
    "world": 24, "politics": 18, "business": 15, "culture": 8, "science": 6, "technology": 7,
    "health": 5, "environment": 5, "sport": 8, "opinion": 4,
}  # fmt: skip

FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloe",
    "Dmitri",
    "Elena",
    "Farah",
    "Gustavo",
    "Hana",
    "Ibrahim",
    "Jana",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oren",
    "Priya",
    "Quentin",
    "Rosa",
    "Samir",
    "Tomasz",
    "Uma",
    "Viktor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zofia",
    "Adaeze",
    "Bruno",
    "Carmen",
    "Darius",
    "Esther",
    "Felix",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Keiko",
    "Lucas",
    "Mira",
    "Nikolai",
    "Olga",
    "Pablo",
    "Rania",
    "Sven",
    "Talia",
    "Umar",
    "Vera",
    "William",
    "Yara",
]
LAST_NAMES = [
    "Abebe",
    "Andersen",
    "Banerjee",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fofana",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Mensah",
    "Novak",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rahman",
    "Santos",
    "Takahashi",
    "Umarov",
    "Varga",
    "Wojcik",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Alvarez",
    "Brennan",
    "Costa",
    "Diallo",
    "Esposito",
    "Fischer",
    "Gonzalez",
    "Horvat",
    "Ito",
    "Kim",
    "Laine",
    "Moreau",
    "Nakamura",
    "Oliveira",
    "Popescu",
    "Rossi",
    "Schmidt",
]
JOBS = (
    "Africa correspondent", "Europe editor", "Political reporter", "Business reporter", "Economics editor",
    "Culture writer", "Science correspondent", "Technology reporter", "Health correspondent", "Sports writer",
    "Environment correspondent", "Columnist", "Data reporter", "Investigations editor", "Middle East correspondent",
    "Asia correspondent", "Americas correspondent", "Senior reporter", "Staff writer", "Deputy editor",
)  # fmt: skip
PLACES = [
    "Mali",
    "Niger",
    "Kenya",
    "Nigeria",
    "Ghana",
    "Senegal",
    "Ethiopia",
    "Sudan",
    "Egypt",
    "Morocco",
    "Tunisia",
    "Algeria",
    "Libya",
    "Chad",
    "Cameroon",
    "Angola",
    "Zambia",
    "Mozambique",
    "Tanzania",
    "Uganda",
    "Rwanda",
    "Somalia",
    "Ukraine",
    "Poland",
    "Germany",
    "France",
    "Spain",
    "Italy",
    "Portugal",
    "Greece",
    "Turkey",
    "Romania",
    "Hungary",
    "Serbia",
    "Sweden",
    "Norway",
    "Finland",
    "Denmark",
    "Ireland",
    "Scotland",
    "Brazil",
    "Argentina",
    "Chile",
    "Peru",
    "Colombia",
    "Mexico",
    "Canada",
    "Venezuela",
    "Bolivia",
    "Ecuador",
    "Cuba",
    "Haiti",
    "Japan",
    "China",
    "India",
    "Pakistan",
    "Bangladesh",
    "Indonesia",
    "Vietnam",
    "Thailand",
    "Philippines",
    "Malaysia",
    "Myanmar",
    "Nepal",
    "Iran",
    "Iraq",
    "Syria",
    "Lebanon",
    "Jordan",
    "Israel",
    "Yemen",
    "Qatar",
    "Australia",
    "Fiji",
    "Brussels",
    "Geneva",
    "Nairobi",
    "Lagos",
    "Dakar",
    "Bamako",
    "Cairo",
    "Kyiv",
    "Warsaw",
    "Berlin",
    "Paris",
    "Madrid",
    "Rome",
    "Lisbon",
    "Athens",
    "Ankara",
    "Tokyo",
    "Delhi",
    "Jakarta",
    "Manila",
    "Tehran",
    "Baghdad",
    "Beirut",
    "Sydney",
    "Toronto",
    "Lima",
    "Bogota",
]
TOPICS = (
    "elections", "inflation", "climate change", "drought", "floods", "wildfires", "trade", "tariffs", "mining",
    "oil prices", "gas supply", "central bank", "interest rates", "unemployment", "housing", "migration",
    "refugees", "peace talks", "sanctions", "ceasefire", "coup", "protests", "corruption", "courts", "press freedom",
    "vaccines", "malaria", "hospitals", "schools", "universities", "artificial intelligence", "cybersecurity",
    "social media", "space", "football", "athletics", "cricket", "cycling", "film", "music", "literature", "museums",
    "fisheries", "agriculture", "food prices", "debt", "budget", "taxes", "pensions", "railways", "ports",
    "aviation", "energy", "solar power", "wind power", "nuclear power", "water", "biodiversity", "oceans",
)  # fmt: skip
SUBJECTS = (
    "Parliament", "The government", "The central bank", "The opposition", "The supreme court", "The farmers' union",
    "The teachers' union", "The health ministry", "The regulator", "The rebel movement", "The army", "The mayor",
    "The finance minister", "The prime minister", "The president", "The election commission", "The senate",
    "The city council", "The trade ministry", "The exporters' association", "The miners' union", "The cabinet",
)  # fmt: skip
VERBS = (
    "approves", "rejects", "delays", "debates", "backs", "challenges", "warns over", "calls for", "braces for",
    "celebrates", "questions", "pushes back on", "agrees on", "splits over", "prepares for", "responds to",
)  # fmt: skip
OBJECTS = (
    "new budget", "emergency measures", "a reform of {topic}", "the {topic} plan", "a deal on {topic}",
    "talks on {topic}", "cuts to {topic}", "a report on {topic}", "rules for {topic}", "the vote on {topic}",
    "a crisis in {topic}", "record {topic} figures", "a shift in {topic}", "an inquiry into {topic}",
)  # fmt: skip
SENTENCES = (
    "Officials said the decision would be reviewed within weeks.",
    "Critics argue the measures do not go far enough.",
    "The announcement came after months of negotiations behind closed doors.",
    "Residents interviewed on Tuesday described a mix of relief and worry.",
    "Analysts expect the effects to be felt well beyond the region.",
    "The figures, published overnight, surprised most economists.",
    "Neither side has said when talks will resume.",
    "A spokesperson declined to comment on the details.",
    "Similar plans were abandoned twice in the past decade.",
    "Local groups say they were not consulted.",
    "The vote passed by a narrow margin late in the evening.",
    "International observers called for calm and restraint.",
    "Prices have risen steadily since the start of the year.",
    "Hospitals in the capital reported a rise in admissions.",
    "The ministry published a timetable for the next steps.",
    "Several companies have already changed their plans in response.",
    "Witnesses described long queues outside government offices.",
    "The court is expected to give its ruling next month.",
    "Opposition leaders promised to challenge the result.",
    "Researchers cautioned that the data remain incomplete.",
)
QUOTES = (
    "We have waited long enough for this.",
    "Nobody asked the people who will pay for it.",
    "It is a first step, not the last one.",
    "The numbers speak for themselves.",
    "We will keep working until there is an agreement.",
)
COMMENT_SENTENCES = (
    "Good piece, thank you for covering this.", "I am not convinced by the second half of the argument.",
    "This is exactly what people on the ground have been saying for years.", "Where are the sources for the figures?",
    "My family lives there and the situation is worse than described.", "Interesting, but what about the costs?",
    "The article leaves out the history of the dispute.", "Finally some balanced reporting on this.",
    "I disagree, the previous plan was working.", "Has anyone asked the farmers what they think?",
    "The same happened ten years ago and nothing changed.", "Thanks for the clear explanation.",
    "See https://example.org/report for the full report.", "This will hit the poorest hardest.",
    "A good reminder of why local journalism matters.", "Can you do a follow-up in a few months?",
    "The headline is a bit misleading, the story is more nuanced.", "Well said.",
    "I worked in this sector for twenty years and this rings true.", "What does this mean for pensions?",
    "Sad to read, but not surprising.", "The map in the second paragraph would help.",
    "Not sure the minister understands the problem.", "Spot on about the ports.",
)  # fmt: skip
REPLY_OPENERS = ("I agree.", "Not quite.", "Good point.", "Respectfully, no.", "Exactly this.", "Source?")
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1",
)
CORRECTIONS = (
    "An earlier version of this article gave the wrong date for the vote. It took place on a Thursday.",
    "An earlier version of this article misspelled the name of the minister.",
    "This article has been updated with the government's response.",
    "An earlier version of this article overstated the number of people affected.",
    "This article has been updated with figures published by the statistics office.",
)
IMAGE_WORDS = (
    ("Armoured vehicles on the dunes", "Armoured vehicles under two flags in the desert."),
    ("The convoy at dusk", "A convoy crossing the desert as the light fades."),
    ("A patrol in the Sahel", "Vehicles on patrol in the Sahel, seen from a distance."),
    ("The flags over the camp", "Flags over a camp in the desert."),
    ("The desert road", "The desert road, seen in black and white."),
    ("Dunes at midday", "Dunes and a clear sky at midday."),
)


class Progress:
    """A progress bar on stderr, redrawn at most five times a second: rows done, rate, and time left."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.total, self.label, self.width = max(total, 1), label, width
        self.stream = stream if stream is not None else sys.stderr
        self.done, self.started, self.drawn = 0, time.monotonic(), 0.0
        self.interactive = getattr(self.stream, "isatty", lambda: False)()

    def advance(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.drawn >= (0.2 if self.interactive else 5.0) or self.done >= self.total:
            self.drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = now - self.started
        share = min(self.done / self.total, 1.0)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate else 0.0
        filled = int(share * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        line = (
            f"{self.label} [{bar}] {share:4.0%} {self.done:,}/{self.total:,} "
            f"{rate:,.0f}/s, {_clock(elapsed)} elapsed, {_clock(left)} left"
        )
        # On a terminal the line redraws in place; in a log, each report is a line of its own.
        self.stream.write(("\r" + line) if self.interactive else line + "\n")
        self.stream.flush()

    def close(self) -> None:
        self._draw(time.monotonic())
        if self.interactive:
            self.stream.write("\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"


@contextmanager
def dates_as_given(*model_fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let bulk_create store the dates set on the rows for fields that are auto_now or auto_now_add.

    An archive is years of the past: a story from 2019 created and updated today, or a comment posted today
    on it, would be wrong in the admin's lists, in "updated" notices and in comment pages. Restored on exit.
    """
    saved = []
    for model, name in model_fields:
        model_field = model._meta.get_field(name)
        saved.append((model_field, model_field.auto_now, model_field.auto_now_add))
        model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in saved:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


@dataclass
class Report:
    """What a run made, for the command to print."""

    articles: int = 0
    published: int = 0
    comments: int = 0
    authors: int = 0
    tags: int = 0
    sections: int = 0
    images: int = 0
    corrections: int = 0
    seconds: float = 0.0
    first_published: datetime | None = None
    last_published: datetime | None = None


@dataclass
class _Skeleton:
    """What is decided for every article before any row is written: when, in what state, how talked about."""

    published_at: datetime
    status: str
    comments: int = 0


@dataclass
class ArchiveGenerator:
    articles: int
    comments: int
    seed: int = 0
    years: float = 8.0
    batch_size: int = BATCH_SIZE
    image_count: int = 6
    stream: TextIO | None = None
    now: datetime = field(default_factory=timezone.now)

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)  # noqa: S311 - made-up content, reproducible by seed, not secrets
        self._bodies: list[str] = []
        self._comments: list[tuple[str, str]] = []
        self._replies: list[tuple[str, str]] = []

    # The whole run --------------------------------------------------------------------------------------

    def run(self) -> Report:
        started = time.monotonic()
        report = Report()
        with transaction.atomic():
            sections = self._sections()
            authors = self._authors()
            tags = self._tags()
            images = self._images()
        report.sections, report.authors, report.tags, report.images = (
            len(sections),
            len(authors),
            len(tags),
            len(images),
        )
        skeletons = self._skeletons()
        section_ids, section_weights = zip(*[(s.pk, SECTION_WEIGHTS.get(s.slug, 3)) for s in sections], strict=True)
        author_weights = list(accumulate(_zipf_weights(len(authors), 0.8)))
        tag_weights = list(accumulate(_zipf_weights(len(tags), 1.0)))
        taken = set(Article.objects.values_list("slug", flat=True))
        progress = Progress(self.articles + self.comments, "Archive", self.stream)
        with dates_as_given((Article, "created_at"), (Article, "updated_at"), (Comment, "created_at")):
            for start in range(0, self.articles, self.batch_size):
                batch = skeletons[start : start + self.batch_size]
                with transaction.atomic():
                    rows = self._write_articles(batch, start, taken, list(section_ids), list(section_weights), images)
                    self._write_bylines(rows, authors, author_weights)
                    self._write_tags(rows, tags, tag_weights)
                    report.corrections += self._write_corrections(rows)
                    report.articles += len(rows)
                    progress.advance(len(rows))
                    report.comments += self._write_comments(rows, batch, progress)
        progress.close()
        _analyze()
        published = [s.published_at for s in skeletons if s.status == Article.Status.PUBLISHED]
        report.published = sum(
            1 for s in skeletons if s.status == Article.Status.PUBLISHED and s.published_at <= self.now
        )
        report.first_published, report.last_published = (min(published), max(published)) if published else (None, None)
        report.seconds = time.monotonic() - started
        return report

    # Things stories are filed under -----------------------------------------------------------------

    def _sections(self) -> list[Section]:
        sections = ensure_sections()
        position = max((s.position for s in sections), default=0)
        for offset, (name, description) in enumerate(EXTRA_SECTIONS, start=1):
            section, _ = Section.objects.get_or_create(
                name=name, defaults={"slug": slugify(name), "description": description, "position": position + offset}
            )
            sections.append(section)
        return sections

    def _authors(self) -> list[Author]:
        count = max(8, self.articles // 250)
        taken = set(Author.objects.values_list("slug", flat=True))
        new = []
        for n in range(count):
            name = f"{self.random.choice(FIRST_NAMES)} {self.random.choice(LAST_NAMES)}"
            slug = _unique(slugify(name), taken)
            job = self.random.choice(JOBS)
            place, topic = self.random.choice(PLACES), self.random.choice(TOPICS)
            since = self.now.year - self.random.randint(1, 15)
            bio = (
                f"{name} is our {job.lower()}, writing from {place} since {since}. "
                f"Before joining, {name.split()[0]} covered {topic} for regional papers."
                + ("\nWrites a weekly newsletter on " + self.random.choice(TOPICS) + "." if n % 3 == 0 else "")
            )
            joined = self.now - timedelta(days=365 * (self.now.year - since))
            new.append(
                Author(
                    name=name,
                    slug=slug,
                    job_title=job,
                    bio=bio,
                    photo_renditions={},
                    created_at=joined,
                    updated_at=joined,
                )
            )
        with dates_as_given((Author, "created_at"), (Author, "updated_at")):
            return Author.objects.bulk_create(new, batch_size=self.batch_size)

    def _tags(self) -> list[Tag]:
        count = max(30, self.articles // 40)
        names = list(PLACES) + [t.capitalize() for t in TOPICS]
        self.random.shuffle(names)
        existing = {name.casefold(): tag for name, tag in ((t.name, t) for t in Tag.objects.all())}
        taken_slugs = {tag.slug for tag in existing.values()}
        chosen: list[Tag] = []
        new: list[Tag] = []
        seen: set[str] = set()
        extra = 0
        while len(chosen) + len(new) < count:
            if names:
                name = names.pop()
            else:
                # The long tail: people and organisations in the news, each on a few stories.
                extra += 1
                name = f"{self.random.choice(FIRST_NAMES)} {self.random.choice(LAST_NAMES)}"
                if extra % 4 == 0:
                    name = f"{self.random.choice(PLACES)} {self.random.choice(TOPICS)}".title()
            if name.casefold() in seen:
                continue
            seen.add(name.casefold())
            if name.casefold() in existing:
                chosen.append(existing[name.casefold()])
                continue
            # taggit's rule (slugify with Unicode kept), made unique as articles.tags.give_tag_an_address does.
            new.append(Tag(name=name, slug=_unique(slugify(name, allow_unicode=True), taken_slugs)))
        return chosen + Tag.objects.bulk_create(new, batch_size=self.batch_size)

    def _images(self) -> list[dict]:
        """A handful of pictures, each through the image pipeline once (clean copy, renditions), as the
        hero columns that many stories then share."""
        pictures = []
        hero_field = Article._meta.get_field("hero_image")
        for n, image in enumerate(_image_variants(demo_hero_image(), self.image_count)):
            holder = Article(headline="Archive picture", slug="archive-picture")
            holder.hero_image.save(f"archive-{self.seed}-{n + 1}.jpg", ContentFile(image), save=False)
            bring_up_to_date(holder, hero_field, Change(storage=hero_field.storage))
            # What ImageField does on a model's save; left empty, every row loaded would open the file to measure it.
            hero_field.update_dimension_fields(holder, force=True)
            alt, caption = IMAGE_WORDS[n % len(IMAGE_WORDS)]
            pictures.append(
                {
                    "hero_image": holder.hero_image.name,
                    "hero_width": holder.hero_width,
                    "hero_height": holder.hero_height,
                    "hero_renditions": holder.hero_renditions,
                    "hero_alt": alt,
                    "hero_caption": caption,
                    "hero_credit": "Illustration: newsroom archive",
                }
            )
        return pictures

    # Stories ---------------------------------------------------------------------------------------

    def _skeletons(self) -> list[_Skeleton]:
        """Publication times over the years, oldest first (so ids rise with time, as in a real archive), a few
        drafts, stories in review and scheduled ones at the recent end, and the comments each draws."""
        span = timedelta(days=365 * self.years).total_seconds()
        times = sorted(self.random.random() for _ in range(self.articles))
        skeletons = []
        for n, share in enumerate(times):
            # Rounded to the minute, as editors schedule: stories published in the same minute tie.
            moment = self.now - timedelta(seconds=span * (1 - share))
            moment = moment.replace(second=0, microsecond=0)
            status = Article.Status.PUBLISHED
            recent = n >= self.articles - max(20, self.articles // 100)
            if recent:
                roll = self.random.random()
                if roll < 0.15:
                    status = Article.Status.DRAFT
                elif roll < 0.25:
                    status = Article.Status.IN_REVIEW
                elif roll < 0.30:
                    moment = self.now + timedelta(hours=self.random.randint(2, 72))
            skeletons.append(_Skeleton(published_at=moment, status=status))
        readable = [s for s in skeletons if s.status == Article.Status.PUBLISHED and s.published_at <= self.now]
        # Most stories draw a few comments or none, a few draw hundreds: a lognormal spread, scaled to the total.
        weights = [self.random.lognormvariate(0, 1.6) for _ in readable]
        scale = self.comments / sum(weights) if weights else 0
        for skeleton, weight in zip(readable, weights, strict=True):
            skeleton.comments = int(weight * scale)
        missing = self.comments - sum(s.comments for s in readable)
        for skeleton in self.random.choices(readable, k=missing) if readable and missing > 0 else []:
            skeleton.comments += 1
        return skeletons

    def _write_articles(
        self,
        batch: list[_Skeleton],
        start: int,
        taken: set[str],
        section_ids: list[int],
        section_weights: list[int],
        images: list[dict],
    ) -> list[Article]:
        rows = []
        for n, skeleton in enumerate(batch, start=start):
            place, topic = self.random.choice(PLACES), self.random.choice(TOPICS)
            headline = self._headline(place, topic)
            summary = (
                f"{self.random.choice(SUBJECTS)} in {place} {self.random.choice(VERBS)} "
                f"{self.random.choice(OBJECTS).format(topic=topic)}. {self.random.choice(SENTENCES)}"
            )
            published = skeleton.status == Article.Status.PUBLISHED
            created = skeleton.published_at - timedelta(minutes=self.random.randint(20, 600))
            article = Article(
                headline=headline,
                slug=_unique(f"{slugify(headline)[:150]}-{n + 1}", taken),
                summary=summary,
                body=self._body(),
                section_id=self.random.choices(section_ids, weights=section_weights)[0],
                status=skeleton.status,
                published_at=skeleton.published_at if published else None,
                created_at=created,
                updated_at=skeleton.published_at if published else self.now,
                is_closed_for_comments=self.random.random() < 0.02,
                hero_renditions={},
            )
            if images and self.random.random() < 0.7:
                for name, value in self.random.choice(images).items():
                    setattr(article, name, value)
            if self.random.random() < 0.1:
                article.source_name, article.source_url = "Wire service", "https://www.example.com/wire"
            rows.append(article)
        return Article.objects.bulk_create(rows, batch_size=self.batch_size)

    def _headline(self, place: str, topic: str) -> str:
        shape = self.random.random()
        if shape < 0.5:
            text = f"{place}: {self.random.choice(SUBJECTS).lower()} {self.random.choice(VERBS)} " + self.random.choice(
                OBJECTS
            ).format(topic=topic)
        elif shape < 0.8:
            text = f"{self.random.choice(SUBJECTS)} {self.random.choice(VERBS)} {topic} in {place}"
        else:
            text = f"What {topic} means for {place}"
        text = text[0].upper() + text[1:]
        return text if len(text) <= 70 else text[:70].rsplit(" ", 1)[0]

    def _body(self) -> str:
        """One of BODY_POOL stories of four to nine blocks (paragraphs, now and then a subheading, a quote or a
        link), as Article.save() stores it: through sanitize_html."""
        if not self._bodies:
            self._bodies = sorted({sanitize_html(self._new_body()) for _ in range(min(BODY_POOL, self.articles))})
        return self.random.choice(self._bodies)

    def _new_body(self) -> str:
        blocks = []
        for n in range(self.random.randint(4, 9)):
            roll = self.random.random()
            if n and roll < 0.1:
                blocks.append(f"<h2>{self.random.choice(TOPICS).capitalize()}</h2>")
            elif n and roll < 0.2:
                blocks.append(f"<blockquote><p>“{self.random.choice(QUOTES)}”</p></blockquote>")
            else:
                sentences = " ".join(self.random.sample(SENTENCES, 3))
                if roll > 0.93:
                    sentences += ' <a href="https://www.example.com/report">Read the report</a>.'
                blocks.append(f"<p>{sentences}</p>")
        return "".join(blocks)

    def _write_bylines(self, rows: list[Article], authors: list[Author], weights: list[float]) -> None:
        """One author on most stories, two or three on some; `weights` are cumulative, the prolific first."""
        bylines = []
        for article in rows:
            size = self.random.choices((1, 2, 3), weights=(75, 20, 5))[0]
            chosen: list[Author] = []
            while len(chosen) < min(size, len(authors)):
                author = self.random.choices(authors, cum_weights=weights)[0]
                if author not in chosen:
                    chosen.append(author)
            bylines += [Byline(article=article, author=author, position=k) for k, author in enumerate(chosen)]
        Byline.objects.bulk_create(bylines, batch_size=self.batch_size)

    def _write_tags(self, rows: list[Article], tags: list[Tag], weights: list[float]) -> None:
        tagged = []
        for article in rows:
            count = self.random.choices((0, 1, 2, 3, 4, 5), weights=(5, 20, 30, 25, 12, 8))[0]
            chosen = {tag.pk: tag for tag in self.random.choices(tags, cum_weights=weights, k=count)}
            tagged += [TaggedArticle(content_object=article, tag_id=pk) for pk in chosen]
        TaggedArticle.objects.bulk_create(tagged, batch_size=self.batch_size)

    def _write_corrections(self, rows: list[Article]) -> int:
        """About one published story in fifty carries a correction or an update; it moves the story's updated_at,
        as articles.services.append_correction does."""
        notes, moved = [], []
        for article in rows:
            if article.status != Article.Status.PUBLISHED or article.published_at > self.now:
                continue
            if self.random.random() >= 0.02:
                continue
            at = min(article.published_at + timedelta(hours=self.random.randint(1, 96)), self.now)
            text = self.random.choice(CORRECTIONS)
            kind = Correction.Kind.UPDATE if "updated" in text else Correction.Kind.CORRECTION
            notes.append(Correction(article=article, kind=kind, text=text, created_at=at))
            article.updated_at = at
            moved.append(article)
        Correction.objects.bulk_create(notes, batch_size=self.batch_size)
        Article.objects.bulk_update(moved, ["updated_at"], batch_size=self.batch_size)
        return len(notes)

    # Readers' comments ---------------------------------------------------------------------------------

    def _write_comments(self, rows: list[Article], batch: list[_Skeleton], progress: Progress) -> int:
        """Threads on each story that draws comments, inserted a generation at a time (first comments, then
        replies to them, then replies to those), so each reply knows its parent's id and its thread's root."""
        generations: list[list[tuple[Comment, Comment | None]]] = []
        for article, skeleton in zip(rows, batch, strict=True):
            if skeleton.comments:
                self._threads(article, skeleton.comments, generations)
        written = 0
        for generation in generations:
            for comment, parent in generation:
                if parent is not None:
                    # What Comment.save() sets: the parent, and the root of the parent's thread.
                    comment.parent_id = parent.pk
                    comment.root_id = parent.root_id or parent.pk
            for chunk in range(0, len(generation), self.batch_size):
                created = Comment.objects.bulk_create([c for c, _ in generation[chunk : chunk + self.batch_size]])
                written += len(created)
                progress.advance(len(created))
        return written

    def _threads(self, article: Article, count: int, generations: list[list[tuple[Comment, Comment | None]]]) -> None:
        close_days = settings.COMMENTS_CLOSE_AFTER_DAYS or 30
        window = min(timedelta(days=close_days), self.now - article.published_at)
        seconds = max(window.total_seconds() - 1, 60)
        recent = self.now - article.published_at < timedelta(days=2)
        fingerprints: set[str] = set()
        placed: list[tuple[Comment, int]] = []  # each comment and its generation
        for _ in range(count):
            # Early comments are most of them: the square of a uniform draw crowds them after publication.
            at = article.published_at + timedelta(seconds=seconds * self.random.random() ** 2)
            parent, depth = None, 0
            if placed and self.random.random() < 0.4:
                parent, parent_depth = self.random.choice(placed[-50:])
                depth = parent_depth + 1
                at = max(at, parent.created_at + timedelta(minutes=self.random.randint(1, 240)))
            while True:
                reader = self.random.randrange(READERS)
                email = f"reader{reader}@example.com"
                body, body_html = self._comment_body(reply=parent is not None)
                mark = fingerprint(email, body)
                # The same reader saying the same thing twice on a story: the database refuses it, so draw again.
                if mark not in fingerprints:
                    break
            fingerprints.add(mark)
            status = self._comment_status(recent)
            comment = Comment(
                article=article,
                name=f"{FIRST_NAMES[reader % len(FIRST_NAMES)]} {LAST_NAMES[reader // 97 % len(LAST_NAMES)][0]}.",
                email=email,
                body=body,
                body_html=body_html,
                fingerprint=mark,
                status=status,
                held_by_rule="First comment from this address" if status == Comment.Status.PENDING else "",
                notify_replies=self.random.random() < 0.1,
                created_at=min(at, self.now),
                ip_address=f"198.51.100.{reader % 250 + 1}" if reader % 3 else f"2001:db8::{reader:x}",
                user_agent=USER_AGENTS[reader % len(USER_AGENTS)],
            )
            while len(generations) <= depth:
                generations.append([])
            generations[depth].append((comment, parent))
            placed.append((comment, depth))

    def _comment_body(self, *, reply: bool) -> tuple[str, str]:
        """One of COMMENT_POOL texts of one to three paragraphs, with its HTML as Comment.save() stores it:
        render_comment_text of the text. Replies have their own pool, opening with an answer."""
        if not self._comments:
            size = max(1, min(COMMENT_POOL, self.comments) // 2)
            self._comments = self._comment_pool(size, reply=False)
            self._replies = self._comment_pool(size, reply=True)
        return self.random.choice(self._replies if reply else self._comments)

    def _comment_pool(self, size: int, *, reply: bool) -> list[tuple[str, str]]:
        texts = set()
        for _ in range(size):
            paragraphs = []
            for _ in range(self.random.choices((1, 2, 3), weights=(60, 30, 10))[0]):
                paragraphs.append(" ".join(self.random.sample(COMMENT_SENTENCES, self.random.randint(1, 3))))
            if reply:
                paragraphs[0] = f"{self.random.choice(REPLY_OPENERS)} {paragraphs[0]}"
            texts.add("\n\n".join(paragraphs))
        return [(text, render_comment_text(text)) for text in sorted(texts)]

    def _comment_status(self, recent: bool) -> str:
        roll = self.random.random()
        if recent and roll < 0.08:
            return Comment.Status.PENDING
        if roll < 0.03:
            return Comment.Status.SPAM
        if roll < 0.05:
            return Comment.Status.REMOVED
        return Comment.Status.APPROVED


def _zipf_weights(count: int, exponent: float) -> list[float]:
    """Weights falling with rank as 1/rank^exponent: the first few items are used far more than the rest."""
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


def _unique(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    taken.add(candidate)
    return candidate


def _image_variants(data: bytes, count: int) -> list[bytes]:
    """`count` distinct pictures made from the demo's hero: crops, a mirror, black and white, warmer and cooler."""
    original = Image.open(io.BytesIO(data)).convert("RGB")
    width, height = original.size
    makers: list[Callable[[Image.Image], Image.Image]] = [
        lambda im: im,
        ImageOps.mirror,
        lambda im: im.crop((width // 8, height // 8, width - width // 8, height - height // 8)).resize((width, height)),
        lambda im: ImageEnhance.Color(im).enhance(1.6),
        lambda im: ImageOps.grayscale(im).convert("RGB"),
        lambda im: ImageEnhance.Brightness(ImageOps.mirror(im)).enhance(1.2),
    ]
    variants = []
    for n in range(count):
        picture = makers[n % len(makers)](original)
        if n >= len(makers):  # more than the makers: crop further in, so every file differs
            inset = 20 * (n // len(makers))
            picture = picture.crop((inset, inset, width - inset, height - inset)).resize((width, height))
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=85)
        variants.append(buffer.getvalue())
    return variants


def _analyze() -> None:
    """Fresh statistics, as a live database's autovacuum (PostgreSQL) or PRAGMA optimize (SQLite) keeps them, so
    the query planner sees the archive's size rather than the empty tables it had before."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
