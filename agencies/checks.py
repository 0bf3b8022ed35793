"""`manage.py check --deploy` warns when people can sign in with a password
alone (GB/T 22239-2019 8.1.4.1 d asks for two authentication techniques);
the production profile turns the second factor on and passes the check at
WARNING level."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def second_factor_required(app_configs, **kwargs):
    if settings.OTP_REQUIRED:
        return []
    return [Warning("OTP_REQUIRED is off: a password alone signs in.",
                    hint="Set OTP_REQUIRED=1 (the production profile's default).", id="casehub.W201")]
