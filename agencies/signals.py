"""Keep agency groups in step with memberships and agency activity, whatever
path made the change (API, admin, shell, seed command)."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from .groups import sync_agency_members, sync_user_agency_groups
from .models import Agency, Membership


@receiver(post_save, sender=Membership, dispatch_uid="membership_saved_sync_groups")
@receiver(post_delete, sender=Membership, dispatch_uid="membership_deleted_sync_groups")
def membership_changed(sender, instance, **kwargs):
    sync_user_agency_groups(instance.user)


@receiver(pre_save, sender=Agency, dispatch_uid="agency_remember_active")
def agency_remember_active(sender, instance, **kwargs):
    if instance.pk:
        instance._was_active = Agency.objects.filter(pk=instance.pk).values_list("active", flat=True).first()


@receiver(post_save, sender=Agency, dispatch_uid="agency_saved_sync_groups")
def agency_saved(sender, instance, created, **kwargs):
    was_active = getattr(instance, "_was_active", None)
    if not created and was_active is not None and was_active != instance.active:
        sync_agency_members(instance)




@receiver(post_delete, sender=TOTPDevice, dispatch_uid="second_factor_reset")
def second_factor_reset(sender, instance, **kwargs):
    """An administrator removed a confirmed authenticator (a lost phone):
    sessions that passed the second factor with it must end. (The user
    replacing it with a new one is not that.)"""
    if instance.confirmed and not getattr(instance, "_replaced_at_enrolment", False):
        from .credentials import announce

        announce(instance.user_id, reason="second_factor_reset")
