"""What a browser sends with the comment form."""

import time

from comments.spam import issue_form_token


def form_data(**overrides: object) -> dict:
    """A valid comment form, sent half a minute after the page showed it (a fresh token each call)."""
    return {
        "name": "Aminata",
        "email": "aminata@example.com",
        "body": "A thoughtful remark.\n\nSecond paragraph.",
        "token": issue_form_token(issued_at=time.time() - 30),
        **overrides,
    }
