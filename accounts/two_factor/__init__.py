"""Two-factor sign-in: a code from an authenticator app (django-otp's
TOTPDevice) after the password, with recovery codes (django-otp's static
tokens) for a lost phone (docs/information-governance.md, "Two-factor
sign-in").

- ``policy``: who must give a code, and what a signed-in user must do next;
- ``services``: enrolment, verification, new recovery codes, the
  administrator's reset;
- ``middleware``: nothing else is reachable until the code is given;
- ``views``, ``forms``, ``urls``: the pages, in GOV.UK markup;
- ``site``, ``apps``, ``admin``: Django admin asks for the code too, and an
  administrator resets a user's two-factor sign-in there;
- ``setup``: checks, audit registration and the sign-in signal, connected
  from ``accounts.apps``.
"""
