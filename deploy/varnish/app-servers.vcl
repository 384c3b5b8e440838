vcl 4.1;
# One Varnish in front of several app servers (docs/deployment.md, "At 10× and 100× the traffic"): the rules of
# newsroom.vcl, whose `default` backend is the first app server, and a round-robin director over all of them.
#
# One Varnish rather than one per app server: each page is rendered once for all readers, not once per edge, and
# every app server purges the one edge (NEWSROOM_EDGE_PURGE_URLS names it on each). Put a copy of newsroom.vcl with
# its placeholders filled in (deploy/varnish/start-varnish.sh shows the substitution) in the same folder as a copy
# of this file with @BACKEND2_HOST@ and @BACKEND2_PORT@ filled in, and start varnishd with this one:
#
#   sed -e s/@BACKEND_HOST@/10.0.0.11/ -e s/@BACKEND_PORT@/8001/ newsroom.vcl > /etc/varnish/newsroom.vcl
#   sed -e s/@BACKEND2_HOST@/10.0.0.12/ -e s/@BACKEND2_PORT@/8001/ app-servers.vcl > /etc/varnish/app-servers.vcl
#   varnishd -a :6081 -f /etc/varnish/app-servers.vcl ...
#
# A third server is a third backend (app3) and one more add_backend line. App servers on other machines must also
# be added to newsroom.vcl's `purgers` list, since they send the purges.

import directors;

include "./newsroom.vcl";

backend app2 {
    .host = "@BACKEND2_HOST@";
    .port = "@BACKEND2_PORT@";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

sub vcl_init {
    new app_servers = directors.round_robin();
    app_servers.add_backend(default);
    app_servers.add_backend(app2);
}

# Chosen per fetch, not in vcl_recv: newsroom.vcl's vcl_recv returns before any later vcl_recv would run.
sub vcl_backend_fetch {
    set bereq.backend = app_servers.backend();
}
