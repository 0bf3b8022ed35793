"""The acts on accounts: memberships, service accounts, tokens, the agency
directory, one's own profile. Each service function authorises the actor
itself (the access module), then validates the input, then acts, and is
audited exactly once, allowed or denied (casehub.audit.act). Views only
hand the request over and render the answer."""
