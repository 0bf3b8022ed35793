from django.core.management.base import BaseCommand

from agencies.seed.load import seed_agencies


class Command(BaseCommand):
    help = "Create or update the regions and agencies of the 宜荆荆恩 city cluster. Safe to run again."

    def handle(self, *args, **options):
        counts = seed_agencies()
        self.stdout.write(
            "regions: {regions_created} created, {regions_updated} updated; "
            "agencies: {agencies_created} created, {agencies_updated} updated".format(**counts)
        )
