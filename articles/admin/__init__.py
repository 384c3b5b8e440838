"""The articles app's admin, split by job: each module below registers or serves one part of it.

Django's autodiscovery imports this package, so the registrations are imported here.
"""

from articles.admin.article import ArticleAdmin
from articles.admin.curation import LeadStoryAdmin
from articles.admin.sections import SectionAdmin

__all__ = ["ArticleAdmin", "LeadStoryAdmin", "SectionAdmin"]
