"""One settings module for every environment; production differs only by environment variables.

Every variable read here is listed in the README. Development is switched on explicitly with
DJANGO_DEBUG=1 (the run command does that); anything else is treated as production and must be
given a secret key.
"""

import os
import re
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no variable; `bool(os.environ[...])` would treat "0" as true."""
    raw = os.environ.get(name)
    return default if raw is None else raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Read a whole number, failing loudly at start-up rather than on the first request."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list, ignoring blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_widths(name: str, default: str) -> list[int]:
    """Read a comma-separated list of pixel widths, sorted, failing at start-up on anything else."""
    try:
        widths = sorted({int(item) for item in env_list(name, default)})
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be whole numbers separated by commas, e.g. {default}.") from exc
    if not widths or widths[0] < 16:
        raise ImproperlyConfigured(f"{name} needs at least one width of 16 pixels or more, e.g. {default}.")
    return widths


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or ("local-development-only" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local work).")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The admin with this site's index (pending comments shown there); see newsroom/admin_site.py.
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # sitemap.xml and its sections (articles/sitemaps.py); only its views and templates, it has no models.
    "django.contrib.sitemaps",
    # django-taggit, labelled "Tags" and with an address for every tag name; see articles/tags.py.
    "articles.tags.TagsConfig",
    "reversion",
    "csp",
    # Only for its static files: the article body's rich-text editor (articles/rich_text.py).
    "django_prose_editor",
    # The publication record and the standing pages (newsroom/models.py); ensure_admin is among its commands.
    "newsroom.apps.NewsroomConfig",
    "images",
    "authors",
    "articles",
    "comments",
    # Staff roles: after the apps whose permissions they hold, as its migrations are.
    "roles",
    # Staff sign-in security: login throttling and two-factor codes (see "Staff sign-in" below).
    "newsroom.apps.SignInLockoutsConfig",
    "django_otp",
    "newsroom.apps.TwoFactorDevicesConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Staff sign-in security: the Permissions-Policy header, beside Django's other security headers.
    "newsroom.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session, CSRF and messages: a page served from the cache needs none of them.
    "newsroom.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff sign-in security: which device confirmed this session's second factor, and who must add one first.
    "django_otp.middleware.OTPMiddleware",
    "newsroom.two_factor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Staff sign-in security: turns a locked-out login into the page saying so. Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.navigation",
                "newsroom.context_processors.publication",
            ],
        },
    },
]

# SQLite in the project folder is the embedded default; DATABASE_URL (postgres://...) is the
# production path. Connections are kept for a minute so a request does not pay for a new one.
# The embedded database, uploads and collected static files live in var/, which git ignores.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that stopped answering is reported (a 503 page) within seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # No JIT compilation: it pays off for reports that run for seconds, and a page's queries run for milliseconds.
    # On a 100,000-story archive the related-stories query's estimated cost crossed jit_above_cost, and PostgreSQL
    # spent 5 s compiling it for a query that then ran in 0.5 s (docs/performance.md, "A newsroom's archive").
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is shared by every app server in production; without REDIS_URL each process keeps
# its own memory cache, which is right for one developer and wrong for several servers.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's own backend, made to serve pages without the cache while Redis is unreachable
            # (newsroom/cache_backend.py; docs/decisions/redis-cache.md).
            "BACKEND": "newsroom.cache_backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            # A Redis that stopped answering costs a request at most this long, not the OS's minutes.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    # Room for the page cache (newsroom/pagecache.py) beside the small values; Django's default is 300 entries.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}}

# The admin's login page is the site's only one; the password reset's last page links to it.
LOGIN_URL = "admin:login"

# Staff sign-in security (docs/deployment.md, "Staff sign-in"; SECURITY.md) ----------------------------------
# Where the admin lives: moving it off /admin/ spares its login page the robots that try that address.
ADMIN_PATH = os.environ.get("NEWSROOM_ADMIN_PATH", "admin/").strip().strip("/") + "/"
if not re.fullmatch(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*/", ADMIN_PATH):
    raise ImproperlyConfigured("NEWSROOM_ADMIN_PATH must be a path of letters, digits, - and _, e.g. desk/.")
# django-axes refuses a login before any password is checked once one account or one address has failed this
# often within the cool-off (docs/decisions/django-axes.md). Five covers a person's typos; each account and each
# address is counted on its own, so guessing one password or spraying many accounts from one address both stop.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Its start-up banner would be printed by every manage.py command and test run.
AXES_VERBOSE = False
AXES_FAILURE_LIMIT = env_int("NEWSROOM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("NEWSROOM_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
# A failure during the lockout does not restart it: the cool-off ends when the page says it will.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The address the comment rate limits count, so a forged X-Forwarded-For cannot dodge either.
AXES_CLIENT_IP_CALLABLE = "newsroom.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "newsroom.login_throttle.lockout_response"
# Staff password reset mails (newsroom/password_reset.py): each send is a mail to someone's inbox, so an address
# may ask for a few an hour, and one inbox receives a few an hour, whoever asks.
PASSWORD_RESET_RATE_WINDOW = env_int("NEWSROOM_PASSWORD_RESET_RATE_WINDOW", 60 * 60)
PASSWORD_RESET_RATE_PER_IP = env_int("NEWSROOM_PASSWORD_RESET_RATE_PER_IP", 10)
PASSWORD_RESET_RATE_PER_EMAIL = env_int("NEWSROOM_PASSWORD_RESET_RATE_PER_EMAIL", 3)
# Two-factor sign-in (django-otp, newsroom/two_factor.py): any staff member may add an authenticator app; those
# this list names must before they can do anything else. "superusers", "staff" (everyone), or role names.
TWO_FACTOR_REQUIRED_FOR = env_list("NEWSROOM_2FA_REQUIRED_FOR")
OTP_TOTP_ISSUER = os.environ.get("NEWSROOM_2FA_ISSUER", "Newsroom")
# The admin's list of authenticator devices never shows their secret keys.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Browser features no page of the site uses, refused to every page and to anything embedded in one.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
# ---------------------------------------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    # Everything touches media through Django's storage API, so object storage can replace
    # the disk by changing this backend alone.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed file names let whitenoise serve static files with far-future caching.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Messages live in a signed cookie so a reader who posts a comment does not create a session row.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# Security defaults. Cookies and HSTS demand HTTPS, so they follow DEBUG: a developer on
# http://127.0.0.1 could not otherwise log in.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT")
if env_bool("DJANGO_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script or style anywhere: every script and stylesheet is a file served by us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The most of a form's text fields Django reads into memory (files are streamed and do not count). Django's
# 2.5 MB refused a reader's megabyte of pasted emoji: a browser sends each emoji's four bytes of UTF-8 as twelve
# percent-encoded ones. Four megabytes reads a megabyte of text in any script and the rest of the form, so the
# comment form can answer with the text and its length; beyond it, newsroom/errors.py says the post was too large.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("NEWSROOM_FORM_MAX_BYTES", 4_000_000)

# Images (the images app). What an upload may be, and the renditions readers get instead of it.
# A full-resolution camera JPEG is 5-15 MB; nothing an editor needs to upload is larger than this.
IMAGE_MAX_BYTES = env_int("NEWSROOM_IMAGE_MAX_BYTES", 20_000_000)
# The largest common camera sensors are 45-50 megapixels. Decoded, 50 MP of RGBA is 200 MB of memory,
# which is what a tiny file with a huge pixel count (a decompression bomb) would otherwise cost.
IMAGE_MAX_PIXELS = env_int("NEWSROOM_IMAGE_MAX_PIXELS", 50_000_000)
# The hero fills the 42rem (672 CSS pixel) story column: anything narrower is stretched on every screen.
IMAGE_HERO_MIN_WIDTH = env_int("NEWSROOM_IMAGE_HERO_MIN_WIDTH", 800)
IMAGE_HERO_MIN_HEIGHT = env_int("NEWSROOM_IMAGE_HERO_MIN_HEIGHT", 450)
# The author page shows the photo 8rem (128 CSS pixels) wide: 256 keeps it sharp on a 2x screen.
IMAGE_PHOTO_MIN_SIZE = env_int("NEWSROOM_IMAGE_PHOTO_MIN_SIZE", 256)
# Hero and card rendition widths: a phone at 1x up to the story column at 2x (672 × 2 ≈ 1344, so 1600).
IMAGE_WIDTHS = env_widths("NEWSROOM_IMAGE_WIDTHS", "480,800,1200,1600")
# The hero's 4:3 and 1:1 crops that only structured data names (images/specs.py): one JPEG each, as wide as
# Google's article guidelines show their examples.
IMAGE_STRUCTURED_DATA_WIDTHS = env_widths("NEWSROOM_IMAGE_STRUCTURED_DATA_WIDTHS", "1200")
# Author photos, shown 72 and 128 CSS pixels wide: 1x, 2x and 3x of the larger.
IMAGE_PHOTO_WIDTHS = env_widths("NEWSROOM_IMAGE_PHOTO_WIDTHS", "128,256,384")
# The logo is shown 2.5rem (40 CSS pixels) tall in the header: 80 pixels high keeps it sharp at 2x. Its widths
# cover a wide logo at that height at 1x to 3x; structured data asks for one at most 600 wide.
IMAGE_LOGO_MIN_WIDTH = env_int("NEWSROOM_IMAGE_LOGO_MIN_WIDTH", 80)
IMAGE_LOGO_MIN_HEIGHT = env_int("NEWSROOM_IMAGE_LOGO_MIN_HEIGHT", 80)
IMAGE_LOGO_WIDTHS = env_widths("NEWSROOM_IMAGE_LOGO_WIDTHS", "200,400,600")
# The default link-preview picture: Facebook and LinkedIn ask for 1200 × 630 and crop to that shape.
IMAGE_SHARE_MIN_WIDTH = env_int("NEWSROOM_IMAGE_SHARE_MIN_WIDTH", 1200)
IMAGE_SHARE_MIN_HEIGHT = env_int("NEWSROOM_IMAGE_SHARE_MIN_HEIGHT", 630)
# Rendition formats, from avif, webp and jpeg. JPEG is required: it is the <img> every browser shows.
# Browsers are offered AVIF, then WebP, then JPEG, smallest files first. AVIF is off by default: it
# takes several times longer to encode, and editors wait for renditions when they save.
IMAGE_FORMATS = [name.lower() for name in env_list("NEWSROOM_IMAGE_FORMATS", "webp,jpeg")]
if "jpeg" not in IMAGE_FORMATS or not set(IMAGE_FORMATS) <= {"avif", "webp", "jpeg"}:
    raise ImproperlyConfigured("NEWSROOM_IMAGE_FORMATS picks from avif, webp and jpeg, and must include jpeg.")

# Public page sizes: ten stories fit two screens of a phone without a second page load.
ARTICLES_PER_PAGE = env_int("NEWSROOM_ARTICLES_PER_PAGE", 10)
# Articles per feed: two pages' worth. A reader's app that polls a few times a day, or is a day late, still
# finds every story since its last visit on a small newsroom's busy day; WordPress's default is ten.
FEED_ITEMS = env_int("NEWSROOM_FEED_ITEMS", 20)

# How long a shared preview link works without a login: a week covers a story waiting for a
# colleague's read over a weekend. Changing DJANGO_SECRET_KEY ends every link at once.
PREVIEW_LINK_MAX_AGE = env_int("NEWSROOM_PREVIEW_LINK_DAYS", 7) * 24 * 60 * 60

# Client addresses. Behind N reverse proxies, each appending the address it was reached from to
# X-Forwarded-For, the reader's address is the Nth entry from the right; anything further left was
# written by the client and could be forged. 0 (no proxy) ignores the header entirely.
TRUSTED_PROXY_COUNT = env_int("NEWSROOM_TRUSTED_PROXIES", 0)

# Reader comments. Conversations on a news story are over within two weeks (WordPress's default
# for closing comments too); 0 keeps comments open for good unless an editor closes them.
COMMENTS_CLOSE_AFTER_DAYS = env_int("NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS", 14)
# Threads (a comment with its replies) per page: a page stays readable on a phone, and a thread is
# never split across pages.
COMMENTS_THREADS_PER_PAGE = env_int("NEWSROOM_COMMENTS_PER_PAGE", 50)
# Indentation levels: a comment, a reply, a reply to the reply. Deeper replies stay at the last
# level, still linked to the comment they answer, so a phone screen is not narrowed to a sliver.
COMMENTS_MAX_DEPTH = 3
# Typing a name, an email address and a sentence takes a person longer than this; a form sent back
# sooner was filled by a program. The form itself is good for a day (a tab left open overnight).
COMMENTS_MIN_SECONDS = env_int("NEWSROOM_COMMENT_MIN_SECONDS", 3)
COMMENTS_FORM_MAX_AGE = 24 * 60 * 60
# Posts per window, counted in the cache so every app server sharing Redis sees the same count.
# One address may be an office or a mobile carrier's gateway, so it gets more room than one email.
COMMENTS_RATE_WINDOW = env_int("NEWSROOM_COMMENT_RATE_WINDOW", 10 * 60)
COMMENTS_RATE_PER_IP = env_int("NEWSROOM_COMMENT_RATE_PER_IP", 20)
COMMENTS_RATE_PER_EMAIL = env_int("NEWSROOM_COMMENT_RATE_PER_EMAIL", 5)
# "Remember me": the reader's name and email in a signed cookie, for a year of visits.
COMMENTS_REMEMBER_COOKIE = "comment_author"
COMMENTS_REMEMBER_MAX_AGE = 365 * 24 * 60 * 60
# Held comments are announced to the users in the Moderator group who have an email address,
# and to these addresses as well (a shared moderation inbox, for example).
MODERATOR_EMAILS = env_list("NEWSROOM_MODERATOR_EMAILS")

# The page cache and the edge caches in front of the site (docs/caching.md). NEWSROOM_PAGE_CACHE=0 turns the
# application's page cache off (benchmarks, debugging); pages are then marked for no shared cache at all.
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", True)
# How long a public page is kept, in the application and at the edge (s-maxage), unless purged or due to change
# sooner. Purging is exact, so this only bounds a change made without a purge (a raw SQL update). Well under a
# day, so a cached comment form's token (valid for COMMENTS_FORM_MAX_AGE) is always good when the page is shown.
NEWSROOM_PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 10 * 60)
# With Redis as the cache, each app process also keeps copies of current pages, up to this many bytes, answered
# without a round trip while Redis reports no purge (newsroom/pagecache_local.py); 0 turns that off.
NEWSROOM_PAGE_CACHE_LOCAL_BYTES = env_int("NEWSROOM_PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024)
# Browsers are not purged, so by default they ask again each time (max-age=0) and get a 304 from the ETag.
NEWSROOM_BROWSER_MAX_AGE = env_int("NEWSROOM_BROWSER_MAX_AGE", 0)
# stale-while-revalidate: an expired page may be served this long while the edge fetches a new one.
NEWSROOM_STALE_SECONDS = env_int("NEWSROOM_STALE_SECONDS", 30)
# More cookies that make a page personal, besides the session, messages and "remember me" cookies.
NEWSROOM_PAGE_CACHE_PERSONAL_COOKIES = env_list("NEWSROOM_PAGE_CACHE_PERSONAL_COOKIES")
# Edge caches to purge: each gets `PURGE /` with the keys in an `xkey-purge` header (deploy/varnish/newsroom.vcl).
NEWSROOM_EDGE_PURGE_URLS = env_list("NEWSROOM_EDGE_PURGE_URLS")
NEWSROOM_EDGE_PURGE_TIMEOUT = env_int("NEWSROOM_EDGE_PURGE_TIMEOUT", 2)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Outgoing mail: the console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")


# Production serving and object storage (issue 13; docs/deployment.md) ----------------------------------------
# Kept in one block: where uploads live, where readers fetch them, and the checks the TLS proxy answers for.


def object_storage(environ: Mapping[str, str]) -> tuple[dict, str]:
    """STORAGES["default"] for media in an S3-compatible bucket, and the origin readers fetch it from.

    Public addresses come from NEWSROOM_MEDIA_HOST (a CDN or the bucket's own host), never signed:
    a signed address changes with every page and defeats every cache. Without a media host, the
    endpoint's path-style address of the bucket, or AWS's own host for it, is used.
    """
    bucket = environ.get("NEWSROOM_S3_BUCKET", "").strip()
    if not bucket:
        raise ImproperlyConfigured("NEWSROOM_MEDIA_STORAGE=s3 needs NEWSROOM_S3_BUCKET, the bucket's name.")
    endpoint = environ.get("NEWSROOM_S3_ENDPOINT_URL", "").strip()
    region = environ.get("NEWSROOM_S3_REGION", "").strip()
    host = environ.get("NEWSROOM_MEDIA_HOST", "").strip()
    if not host:
        if endpoint:
            host = f"{endpoint.rstrip('/')}/{bucket}"
        elif region:
            host = f"https://{bucket}.s3.{region}.amazonaws.com"
        else:
            raise ImproperlyConfigured(
                "NEWSROOM_MEDIA_STORAGE=s3 needs NEWSROOM_MEDIA_HOST (the CDN or bucket host readers fetch media"
                " from), or NEWSROOM_S3_ENDPOINT_URL, or NEWSROOM_S3_REGION for a bucket on AWS."
            )
    public = urlsplit(host if "://" in host else f"https://{host}")
    if public.scheme not in {"http", "https"} or not public.netloc or public.query or public.fragment:
        raise ImproperlyConfigured(
            f"NEWSROOM_MEDIA_HOST must be a host name or an http(s) address such as https://media.example.com,"
            f" not {host!r}."
        )
    key, secret = environ.get("NEWSROOM_S3_ACCESS_KEY_ID", ""), environ.get("NEWSROOM_S3_SECRET_ACCESS_KEY", "")
    if bool(key) != bool(secret):
        raise ImproperlyConfigured("Set both NEWSROOM_S3_ACCESS_KEY_ID and NEWSROOM_S3_SECRET_ACCESS_KEY, or neither.")
    options = {
        "bucket_name": bucket,
        "custom_domain": public.netloc + public.path.rstrip("/"),
        "url_protocol": f"{public.scheme}:",
        "querystring_auth": False,
        # Two uploads named alike must not overwrite each other: the second gets a suffix, as on disk.
        "file_overwrite": False,
        # No per-object ACL: what readers may fetch is the bucket policy's business (docs/deployment.md).
        "default_acl": None,
    }
    # Unset ones are left out, so boto3's own chain (AWS_* variables, an instance role) still applies.
    optional = {
        "endpoint_url": endpoint,
        "region_name": region,
        "access_key": key,
        "secret_key": secret,
        "addressing_style": environ.get("NEWSROOM_S3_ADDRESSING_STYLE", "").strip(),
    }
    options.update({name: value for name, value in optional.items() if value})
    return {"BACKEND": "newsroom.storage.MediaBucketStorage", "OPTIONS": options}, f"{public.scheme}://{public.netloc}"


MEDIA_STORAGE = os.environ.get("NEWSROOM_MEDIA_STORAGE", "disk").strip().lower()
if MEDIA_STORAGE == "s3":
    STORAGES["default"], MEDIA_ORIGIN = object_storage(os.environ)
    MEDIA_URL = f"{STORAGES['default']['OPTIONS']['url_protocol']}//{STORAGES['default']['OPTIONS']['custom_domain']}/"
elif MEDIA_STORAGE == "disk":
    # A MEDIA_URL on another host (a CDN pulling from this site) is an origin of its own; a path is ours.
    _media = urlsplit(MEDIA_URL)
    MEDIA_ORIGIN = f"{_media.scheme}://{_media.netloc}" if _media.scheme and _media.netloc else ""
else:
    raise ImproperlyConfigured(f"NEWSROOM_MEDIA_STORAGE is disk (the default) or s3, not {MEDIA_STORAGE!r}.")
if MEDIA_ORIGIN:
    # Hero images and author photos come from there: the Content-Security-Policy must let them in.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(MEDIA_ORIGIN)

# `manage.py check --deploy` asks for Django to redirect http to https and to ask browsers for HSTS preloading.
# Where the TLS proxy redirects (Caddy always does), NEWSROOM_TLS_PROXY_REDIRECTS=1 says so; DJANGO_HSTS_PRELOAD=1
# asks for preloading, and =0 records the decision not to (preloading binds every subdomain, for months).
# Each silences only its own check, only when said; unset, the warning stands until someone decides.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD") and not DEBUG
SILENCED_SYSTEM_CHECKS = [
    *globals().get("SILENCED_SYSTEM_CHECKS", []),  # any silenced above for reasons of their own
    *(["security.W008"] if env_bool("NEWSROOM_TLS_PROXY_REDIRECTS") else []),
    *(["security.W021"] if os.environ.get("DJANGO_HSTS_PRELOAD", "").strip() in {"0", "false", "no", "off"} else []),
]
