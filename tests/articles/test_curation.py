"""Curation: the lead story an editor puts on top of the home page, the trimmed standfirst on story cards,
and the related stories under each article."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.curation import RELATED_COUNT, lead_story, related_articles
from articles.models import CARD_STANDFIRST_LENGTH, Article, LeadStory
from articles.services import unpublish_article, withdraw_articles
from tests.articles.test_admin import action
from tests.articles.test_admin_workflow import messages_of
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def story(hours_ago: float, **kwargs) -> Article:
    return ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=hours_ago), **kwargs
    )


def home(client, **params) -> str:
    return client.get(reverse("articles:home"), params).content.decode()


def lead_of(html: str) -> str:
    """The lead slot's markup on the home page ('' when there is none)."""
    match = re.search(r"<div class=\"lead-story\">(.*?)</article>\s*</div>", html, re.S)
    return match.group(1) if match else ""


# The lead story ------------------------------------------------------------------------------


def test_without_a_choice_the_newest_story_leads_and_is_not_listed_again(client):
    older, newest = story(2, headline="Older story"), story(1, headline="Newest story")

    html = home(client)

    assert "Newest story" in lead_of(html)
    assert html.count(newest.get_absolute_url() + '"') == 1  # one card, not a second one in the list
    assert html.index("Newest story") < html.index(older.headline)


def test_the_editors_choice_leads_until_its_end_time_then_the_newest_story_leads(client):
    chosen, _newest = story(5, headline="The big investigation"), story(1, headline="Breaking news")
    LeadStory.objects.create(article=chosen, until=timezone.now() + timedelta(hours=2))

    html = home(client)
    assert "The big investigation" in lead_of(html)
    assert "Breaking news" in html and "Breaking news" not in lead_of(html)

    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert "Breaking news" in lead_of(home(client))


def test_a_choice_without_an_end_time_leads_until_the_editor_chooses_another(client):
    first, second = story(5, headline="First choice"), story(4, headline="Second choice")
    story(1, headline="Newest story")
    LeadStory.objects.create(article=first)
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        assert "First choice" in lead_of(home(client))

    LeadStory.objects.create(article=second)

    assert "Second choice" in lead_of(home(client))


@pytest.mark.parametrize("take_down", ["unpublish", "withdraw"])
def test_a_chosen_story_taken_down_never_leads_and_the_newest_leads_instead(client, admin_user, take_down):
    chosen, _newest = story(5, headline="Chosen story"), story(1, headline="Newest story")
    LeadStory.objects.create(article=chosen)

    if take_down == "unpublish":
        unpublish_article(chosen, by=admin_user)
    else:
        withdraw_articles(Article.objects.filter(pk=chosen.pk), notice="Withdrawn on legal advice.")

    html = home(client)
    assert "Newest story" in lead_of(html)
    assert "Chosen story" not in html


def test_an_older_choice_does_not_come_back_when_the_latest_one_ends(client):
    old_choice, new_choice = story(5, headline="Old choice"), story(4, headline="New choice")
    story(1, headline="Newest story")
    LeadStory.objects.create(article=old_choice)
    LeadStory.objects.create(article=new_choice, until=timezone.now() + timedelta(hours=1))

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert "Newest story" in lead_of(home(client))


def test_a_chosen_scheduled_story_leads_from_its_publication_time(client):
    scheduled = ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(hours=1),
        headline="Embargoed report",
    )
    story(2, headline="Current story")
    LeadStory.objects.create(article=scheduled)

    assert "Embargoed report" not in home(client)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert "Embargoed report" in lead_of(home(client))


def test_the_lead_opens_the_first_page_only(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    chosen = story(9, headline="Chosen story")
    story(2), story(1)
    LeadStory.objects.create(article=chosen)

    assert "Chosen story" in lead_of(home(client))
    for page in (2, 3):
        html = home(client, page=page)
        assert lead_of(html) == ""
        assert "Chosen story" not in html  # nor listed: the lead is never shown twice


def test_a_home_page_with_one_story_shows_it_as_the_lead_without_an_empty_message(client):
    story(1, headline="Only story")
    html = home(client)
    assert "Only story" in lead_of(html)
    assert "No stories" not in html


def test_a_home_page_without_stories_says_so(client):
    html = home(client)
    assert lead_of(html) == ""
    assert "No stories have been published yet." in html


def test_the_lead_costs_one_query_whatever_the_stories_and_choices(django_assert_num_queries):
    for hours in range(6):
        LeadStory.objects.create(article=story(hours + 1))
    chosen = story(10)
    LeadStory.objects.create(article=chosen)
    with django_assert_num_queries(1, info="the lead with its section and comment count"):
        assert lead_story() == chosen


# Choosing the lead in the admin --------------------------------------------------------------


def test_an_editor_chooses_the_lead_from_the_article_list(desk_editor_client, desk_editor, client):
    chosen = story(5, headline="Our investigation")
    story(1)

    response = action(desk_editor_client, "lead_home_page", chosen)

    [message] = messages_of(response)
    assert "“Our investigation” leads the home page until you choose another story." in message
    choice = LeadStory.objects.get()
    assert (choice.article, choice.chosen_by, choice.until) == (chosen, desk_editor, None)
    assert "Our investigation" in lead_of(home(client))


def test_the_home_page_leads_list_add_and_change_pages_load_for_an_editor(desk_editor_client):
    choice = LeadStory.objects.create(article=story(1, headline="Chosen story"))
    for url in (
        reverse("admin:articles_leadstory_changelist"),
        reverse("admin:articles_leadstory_add"),
        reverse("admin:articles_leadstory_change", args=[choice.pk]),
    ):
        response = desk_editor_client.get(url)
        assert response.status_code == 200, url
        assert "Chosen story" in response.content.decode() or url.endswith("/add/"), url
    # A choice is a record: no delete.
    assert desk_editor_client.get(reverse("admin:articles_leadstory_delete", args=[choice.pk])).status_code == 403


def test_the_lead_action_refuses_a_draft_and_more_than_one_story(desk_editor_client):
    draft, one, two = ArticleFactory(headline="Unfinished"), story(1), story(2)

    refused = messages_of(action(desk_editor_client, "lead_home_page", draft))
    assert refused == ["“Unfinished”: Publish or schedule this story before it can lead the home page."]
    assert messages_of(action(desk_editor_client, "lead_home_page", one, two)) == [
        "Select one story to lead the home page."
    ]
    assert not LeadStory.objects.exists()


def test_a_writer_is_not_offered_the_lead(writer_client):
    listing = writer_client.get(reverse("admin:articles_article_changelist"))
    offered = {name for name, _label in listing.context["action_form"].fields["action"].choices}
    assert "lead_home_page" not in offered
    assert writer_client.get(reverse("admin:articles_leadstory_changelist")).status_code == 403


def test_an_editor_sets_an_end_time_and_the_list_says_what_leads(desk_editor_client, client):
    older, chosen = story(5, headline="Replaced story"), story(4, headline="Chosen story")
    LeadStory.objects.create(article=older)
    choice = LeadStory.objects.create(article=chosen)
    until = timezone.localtime() + timedelta(hours=3)

    response = desk_editor_client.post(
        reverse("admin:articles_leadstory_change", args=[choice.pk]),
        {"until_0": until.strftime("%Y-%m-%d"), "until_1": until.strftime("%H:%M:%S")},
    )

    assert response.status_code == 302
    choice.refresh_from_db()
    assert choice.until.replace(microsecond=0) == until.replace(microsecond=0)
    listing = desk_editor_client.get(reverse("admin:articles_leadstory_changelist")).content.decode()
    assert "Leads the home page" in listing and "Replaced by a later choice" in listing
    with time_machine.travel(until + timedelta(minutes=1)):
        assert (
            "Ended: the newest story leads"
            in desk_editor_client.get(reverse("admin:articles_leadstory_changelist")).content.decode()
        )


def test_a_new_choice_ending_in_the_past_is_refused(desk_editor_client):
    chosen = story(1)
    past = timezone.localtime() - timedelta(hours=1)
    response = desk_editor_client.post(
        reverse("admin:articles_leadstory_add"),
        {"article": chosen.pk, "until_0": past.strftime("%Y-%m-%d"), "until_1": past.strftime("%H:%M:%S")},
    )
    assert response.status_code == 200
    assert "This time has passed" in response.content.decode()
    assert not LeadStory.objects.exists()


# The card's standfirst -------------------------------------------------------------------------


def test_cards_show_the_standfirst_trimmed_at_a_word_so_rows_line_up(client):
    long = "Wagner mercenaries have officially left Mali after three and a half years of fighting. " * 3
    story(2, summary=long, headline="Long standfirst")
    story(1, summary="Short one.", headline="Lead")

    html = home(client)

    [shown] = re.findall(r'<p class="card__summary" dir="auto">([^<]*)</p>', html[html.index("Long standfirst") :])[:1]
    assert len(shown) <= CARD_STANDFIRST_LENGTH
    assert shown.endswith("…")
    assert long.startswith(shown[:-1]) and long[len(shown) - 1] == " "  # cut between words
    assert "Short one." in html


# Related stories -------------------------------------------------------------------------------


def test_related_stories_rank_shared_tags_then_the_section_newest_first_within():
    world, business = SectionFactory(slug="world"), SectionFactory(slug="business")
    article = story(10, section=world, tags=["Mali", "Russia", "Sahel"])
    two_tags_old = story(9, section=business, tags=["Mali", "Russia"])
    one_tag_new = story(1, section=business, tags=["Sahel"])
    one_tag_old_same_section = story(8, section=world, tags=["Mali"])
    section_only = story(2, section=world)
    story(3, section=business, tags=["Markets"])  # nothing in common

    related = related_articles(Article.objects.for_detail().get(pk=article.pk))

    assert related == [two_tags_old, one_tag_old_same_section, one_tag_new, section_only]


def test_related_stories_are_published_only_never_itself_and_at_most_four():
    section = SectionFactory()
    article = story(50, section=section, tags=["Mali"])
    for hours in range(6):
        story(hours + 1, section=section, tags=["Mali"])
    ArticleFactory(section=section, tags=["Mali"], headline="A draft")
    ArticleFactory(status=Article.Status.PUBLISHED, published_at=timezone.now() + timedelta(hours=1), section=section)

    related = related_articles(Article.objects.for_detail().get(pk=article.pk))

    assert len(related) == RELATED_COUNT
    assert all(other.is_published and other != article for other in related)


def test_an_article_without_tags_is_related_by_its_section_and_one_without_either_by_nothing():
    section = SectionFactory()
    article, neighbour = story(2, section=section), story(1, section=section)
    story(1, section=SectionFactory(), tags=["Mali"])
    assert related_articles(Article.objects.for_detail().get(pk=article.pk)) == [neighbour]

    loner = story(3, section=None)
    assert related_articles(Article.objects.for_detail().get(pk=loner.pk)) == []


def test_an_article_without_a_section_is_related_by_its_tags():
    article = story(3, section=None, tags=["Mali"])
    tagged, _other = story(2, tags=["Mali"]), story(1)
    assert related_articles(Article.objects.for_detail().get(pk=article.pk)) == [tagged]


@pytest.mark.parametrize("count", [1, 12])
def test_related_stories_cost_two_queries_whatever_the_tags_and_stories(django_assert_num_queries, count):
    section = SectionFactory()
    tags = [f"tag{n}" for n in range(count)]
    article = story(100, section=section, tags=tags)
    for n in range(count):
        story(n + 1, section=section, tags=tags[: n + 1], authors=AuthorFactory.create_batch(2))
    article = Article.objects.for_detail().get(pk=article.pk)
    with django_assert_num_queries(2, info="the related stories with their sections, their bylines"):
        related = related_articles(article)
        assert [author.name for other in related for author in other.byline_authors]


def test_the_article_page_shows_related_stories_as_cards_under_the_story(client):
    section = SectionFactory()
    article = story(5, section=section, tags=["Mali"])
    neighbour = story(1, section=section, tags=["Mali"], headline="A related story")

    html = client.get(article.get_absolute_url()).content.decode()

    related = html[html.index('<section class="related"') :]
    assert "Related stories" in related
    assert f'href="{neighbour.get_absolute_url()}">A related story</a>' in related
    assert html.index('<section class="related"') > html.index('<footer class="story__footer">')
