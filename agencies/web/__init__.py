"""The account pages: signing in (password, then the second factor),
enrolling an authenticator, recovery codes, changing the password (the
overview of one's own security settings is the security tab of my account,
casehub/web/account_security.py). The rules are in agencies/services."""
