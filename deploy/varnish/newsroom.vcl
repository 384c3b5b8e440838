vcl 4.1;

# A minimal edge cache for `make serve`: Varnish's built-in rules, plus static files and uploads cached
# whatever cookies the browser sends (they never vary by reader). The backend's address is filled in
# by scripts/serve.py from APP_PORT; on a server of your own, put gunicorn's address here.

backend default {
    .host = "127.0.0.1";
    .port = "8001";
}

sub vcl_recv {
    if (req.url ~ "^/(static|media)/") {
        unset req.http.Cookie;
    }
}
