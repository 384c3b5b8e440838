"""Factories shared by every app's tests: articles need authors, comments need articles."""

from datetime import timedelta

import factory
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Byline, Correction, Section
from articles.services import save_article
from authors.models import Author
from comments.models import Comment
from roles.groups import apply_roles

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """Role names ("Writer", "Editor"): the groups the roles migration made, never made here."""
        if create and extracted:
            groups = list(Group.objects.filter(name__in=extracted))
            if len(groups) != len(extracted):
                raise LookupError(f"No group for some of {extracted}: the roles app's migration makes them.")
            self.groups.add(*groups)


class ModeratorFactory(UserFactory):
    """A staff user whose only permissions come from the Moderator role."""

    username = factory.Sequence(lambda n: f"moderator{n}")
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            # The group comes from a data migration, which a transactional test's flush empties.
            apply_roles(apps)
            self.groups.add(Group.objects.get(name="Moderator"))


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"author-{n}")
    bio = factory.Faker("paragraph", nb_sentences=3)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    # Within the lengths publishing allows (articles.models.HEADLINE_MAX_FOR_SEARCH and SUMMARY_MAX_FOR_SEARCH).
    headline = factory.Faker("text", max_nb_chars=60)
    slug = factory.Sequence(lambda n: f"story-{n}")
    summary = factory.Faker("text", max_nb_chars=150)
    body = factory.LazyFunction(lambda: "<p>First paragraph.</p><p>Second paragraph.</p>")
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.DRAFT

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
        )

    @classmethod
    def _create(cls, model_class: type[Article], *args, **kwargs) -> Article:
        # Through the app's one write path, so a published article without a time gets one, as in the admin.
        return save_article(model_class(*args, **kwargs))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        for position, author in enumerate(extracted if extracted is not None else [AuthorFactory()]):
            Byline.objects.create(article=self, author=author, position=position)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory, published=True)
    name = factory.Faker("name")
    email = factory.Faker("email")
    body = factory.Faker("paragraph")
    status = Comment.Status.PENDING
    ip_address = "203.0.113.7"


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory, published=True)
    kind = Correction.Kind.CORRECTION
    text = factory.Faker("sentence", nb_words=12)
