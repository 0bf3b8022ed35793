"""Where a notification leads: the page of the object it is about. The
notice's link fields (recipients.py) name the objects; the first that has a
page in the web UI wins: a case's page, an assistance request's page
(/assistance/<id>/: the asked agency may not open the case). A desk of a
later release (disclosure) is linked once its route exists; until then the
notification links nothing rather than a 404."""

from django.urls import NoReverseMatch, reverse

# (link field, URL name taking the id), most specific first.
PAGES = (
    ("transfer_id", "web:transfer"),
    ("case_id", "web:case"),
    ("assistance_id", "web:assistance-request"),
    ("disclosure_id", "web:disclosure"),
)


def url_for(link: dict) -> str | None:
    for field, url_name in PAGES:
        value = link.get(field)
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                return reverse(url_name, args=[value])
            except NoReverseMatch:
                continue
    return None
