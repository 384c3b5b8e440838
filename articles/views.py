"""Reader pages: home, article, section and tag listings, search, corrections; the article's old addresses and its
previews."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from taggit.models import Tag

from articles import caching
from articles.curation import home_page, related_articles
from articles.models import Article, Correction, Section, published_article
from articles.preview import PreviewLinkExpired, article_id_from_link, may_preview
from articles.search import has_marks, marked_html, parse
from articles.search_results import search_results
from comments.conversation import conversation_context
from newsroom import surrogate
from newsroom.pagecache import public_page
from newsroom.paging import keyset_listing, keyset_page
from newsroom.publication import corrections_policy_url, footer_pages


class PageByIds(Paginator):
    """A Paginator whose page is chosen by id in a subquery: the ordering columns are computed for every row,
    everything else (search highlights, comment counts) for the page's rows alone. SQLite computes a query's
    whole select list for every row it sorts, and a search's highlights for thousands of matches cost seconds."""

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.object_list.values("pk")[bottom : bottom + self.per_page]
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)


def paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    """One page of search results, by number; a page number that is out of range or not a number shows the
    nearest real page rather than an error, since readers edit URLs and follow stale links. Listings of
    stories page by cursor instead (newsroom/paging.py): they are read deep, search results are not."""
    return PageByIds(queryset, settings.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))


@public_page
@keyset_listing
def home(request: HttpRequest) -> HttpResponse:
    """The lead story an editor chose (or the newest), then the latest stories; the lead opens the first page only."""
    lead, page = home_page(request)
    caching.home_page(request, lead, page.object_list)
    return render(request, "articles/home.html", {"lead": lead, "page": page})


@public_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = published_article(slug)
    if article is None:
        return article_not_here(request, slug)
    caching.article_page(request, article)
    return render_article(request, article)


def article_not_here(request: HttpRequest, slug: str) -> HttpResponse:
    """No published story at this slug: 301 to where it moved, 410 if an editor withdrew it, else 404.

    Only a miss pays for these lookups, so the article page costs the same whatever its history.
    """
    new_slug = Article.objects.published().at_old_address(slug).values_list("slug", flat=True).first()
    if new_slug is not None:
        return redirect("articles:detail", slug=new_slug, permanent=True)
    withdrawn = Article.objects.withdrawn().filter(Q(slug=slug) | Q(slug_redirects__old_slug=slug)).first()
    if withdrawn is not None:
        return render(request, "410.html", {"notice": withdrawn.withdrawal_note}, status=410)
    raise Http404("No published article at this address.")


def render_article(request: HttpRequest, article: Article, *, preview: bool = False) -> HttpResponse:
    """The article page: the story, then the conversation that `comments/` supplies.

    `article` must come from for_detail(). A preview shows the story with a banner and without the
    comment form.
    """
    related = related_articles(article)
    caching.related_stories(request, article, related)
    context = {
        "article": article,
        "preview": preview,
        "related": related,
        **conversation_context(request, article, preview=preview),
    }
    return render(request, "articles/article_detail.html", context)


def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """An article in any state, exactly as readers would see it, for staff who may see articles.

    Everyone else gets the same 404 as for an article that does not exist, so the address reveals
    nothing. By primary key, so the address holds while an editor changes the slug of a draft.
    """
    if not may_preview(request.user):
        raise Http404("No article here.")
    return _render_preview(request, pk, Article.objects.for_staff(request.user))


def shared_preview(request: HttpRequest, token: str) -> HttpResponse:
    """An article in any state, for whoever holds a signed link an editor made; no login needed."""
    try:
        article_id = article_id_from_link(token)
    except PreviewLinkExpired:
        return render(request, "articles/preview_link_expired.html", status=404)
    if article_id is None:
        raise Http404("No article here.")
    response = _render_preview(request, article_id, Article.objects.all())
    # The link is the key: keep it out of the Referer header of every link followed from the story.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _render_preview(request: HttpRequest, pk: int, articles: QuerySet[Article]) -> HttpResponse:
    # The one place a reader page starts from more than Article.objects.published(): the callers above
    # have decided which unpublished articles this request may see.
    article = get_object_or_404(articles.for_detail(), pk=pk)
    response = render_article(request, article, preview=True)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


@public_page
def corrections(request: HttpRequest) -> HttpResponse:
    """Every correction and update note on a story readers can see, newest first: the publication's record
    of what it got wrong and what changed. Three queries: the count, the page of notes with their stories,
    the section bar."""
    notes = Correction.objects.public().select_related("article").order_by("-created_at", "-pk")
    policy = corrections_policy_url()
    has_policy = any(url == policy for _, url in footer_pages())
    page = paginate(request, notes)
    surrogate.tag(request, surrogate.CORRECTIONS, *(surrogate.article(note.article_id) for note in page.object_list))
    context = {"page": page, "policy_url": policy if has_policy else ""}
    return render(request, "articles/corrections.html", context)


@public_page
@keyset_listing
def section_detail(request: HttpRequest, slug: str) -> HttpResponse:
    section = get_object_or_404(Section, slug=slug)
    page = keyset_page(request, Article.objects.published().filter(section=section).for_listing())
    surrogate.tag(request, surrogate.section(section.pk))
    surrogate.listing_page(
        request, surrogate.listing("section", section.pk), Article.objects.filter(section=section), page.object_list
    )
    return render(request, "articles/section_detail.html", {"section": section, "page": page})


@public_page
@keyset_listing
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    page = keyset_page(request, Article.objects.published().filed_under("tags", tag).for_listing())
    surrogate.tag(request, surrogate.tag_key(tag.pk))
    articles = Article.objects.filter(tags=tag)
    surrogate.listing_page(request, surrogate.listing("tag", tag.pk), articles, page.object_list)
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})


def search(request: HttpRequest) -> HttpResponse:
    """Published articles matching the reader's words, best and newest first, optionally in one section.

    No words: the search form alone. Results are counted by section first, so the section filter offers
    only sections that have results."""
    query = parse(request.GET.get("q", ""))
    context: dict = {"query": query.text, "section": None, "sections": [], "page": None}
    if query.text:
        results = search_results(Article.objects.published(), query.text)
        context["sections"], context["total"], context["capped"] = results.sections(), results.total, results.capped
        chosen = request.GET.get("section", "")
        context["section"] = next((row for row in context["sections"] if row["section__slug"] == chosen), None)
        if context["section"] is not None:
            results = results.in_section(chosen)
        results.articles = results.articles.for_listing()
        context["page"] = page = results.page(request.GET.get("page"), settings.ARTICLES_PER_PAGE)
        context["results"] = [
            {
                "article": article,
                "headline": marked_html(article.marked_headline),
                "summary": marked_html(article.marked_summary),
                "excerpt": marked_html(article.marked_excerpt, from_html=True)
                if has_marks(article.marked_excerpt)
                else "",
            }
            for article in page.object_list
        ]
    response = render(request, "articles/search.html", context)
    # Results change with every publication and are no page for search engines to index.
    response["X-Robots-Tag"] = "noindex"
    return response
