vcl 4.1;
# Varnish in front of newsroom: keeps the public pages the application marks as shared, purged by surrogate key.
# See docs/caching.md. Needs Debian's varnish (7.x) and varnish-modules (the xkey vmod).
#
# The backend address is a placeholder: deploy/varnish/start-varnish.sh replaces @BACKEND_HOST@ and
# @BACKEND_PORT@ (from NEWSROOM_BACKEND=host:port) before starting varnishd; anything else that starts varnishd
# must write the same substitution into a copy of this file (sed works) and pass that copy with -f.

import std;
import xkey;

backend default {
    .host = "@BACKEND_HOST@";
    .port = "@BACKEND_PORT@";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may purge: the application servers. Add their addresses here when they are not on this machine.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from " + client.ip));
        }
        if (req.http.xkey-purge) {
            # Every object tagged with any of the space-separated keys, on every URL.
            set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.X-Purged + " objects"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # A reader's own page (a staff login, a one-time message, the remembered commenter) is never shared: these
    # are the cookie names of newsroom.pagecache.personal_cookies() with Django's defaults.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)(sessionid|messages|comment_author)=") {
        return (pass);
    }
    if (req.url ~ "^/admin(/|$)") {
        return (pass);
    }
    # Any other cookie (analytics, a stale CSRF cookie) changes nothing on a public page: dropped, so the
    # request is answered from the shared copy and the application never sees it.
    unset req.http.Cookie;
    # ?b=2&a=1 and ?a=1&b=2 are one page, as in the application's own cache.
    set req.url = std.querysort(req.url);
    return (hash);
}

sub vcl_hash {
    # The page names its own address (scheme and host), so each is a copy of its own.
    hash_data(req.url);
    hash_data(req.http.host);
    hash_data(req.http.X-Forwarded-Proto);
    return (lookup);
}

sub vcl_pass {
    set req.http.X-Cache-Pass = "1";
}

sub vcl_backend_fetch {
    # The app answers the edge's own fetches from Redis, never from an app process's copy of the page: a copy a
    # purge has just ended (its message still on the way to that process) must not be kept here for s-maxage.
    set bereq.http.X-Newsroom-Edge-Fetch = "1";
}

sub vcl_backend_response {
    # Only what the application marks as shared is kept: `public` without no-cache/no-store/private (public pages
    # with s-maxage, and static files). Errors, redirects and personal pages carry no such header and pass.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "(?i)public"
            || beresp.http.Cache-Control ~ "(?i)no-cache|no-store|private") {
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # A 304 to Varnish's conditional request, from the application's own copy, carries no Age (Django's 304 keeps
    # only a few headers), so Varnish would count the page's s-maxage afresh from now and keep it past the moment
    # it changes by itself (a scheduled story falls due). The application dates each page by when it made it
    # (Last-Modified, whole seconds): the copy's life is counted from then, as the application counts its own.
    if (beresp.was_304 && beresp.http.xkey && beresp.http.Last-Modified) {
        set beresp.ttl = beresp.ttl - (now - std.time(beresp.http.Last-Modified, now));
    }
    # s-maxage gives beresp.ttl (Varnish reads it before max-age). Serve an expired copy while a new one is
    # fetched only as long as the page allows (stale-while-revalidate, absent on pages due to change at expiry).
    if (beresp.http.Cache-Control ~ "stale-while-revalidate=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-while-revalidate=([0-9]+).*", "\1") + "s", 0s);
    } else {
        set beresp.grace = 0s;
    }
    # Kept a while after expiry for a conditional request to the application (ETag), answered 304 if unchanged.
    set beresp.keep = 1h;
    return (deliver);
}

sub vcl_deliver {
    # Surrogate keys are for caches, not browsers.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
    if (req.http.X-Cache-Pass) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    return (deliver);
}
