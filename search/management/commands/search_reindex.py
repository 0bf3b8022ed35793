from django.core.management.base import BaseCommand
from tqdm import tqdm

from casehub.models import Case
from search.backends import get_backend
from search.documents import build


class Command(BaseCommand):
    help = ("Rebuild the search index from the database. On Elasticsearch a new index is filled and the alias "
            "swapped to it in one step, so searches never see a half-built index.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument("--keep-old", action="store_true", help="keep the previous Elasticsearch index")

    def handle(self, *args, batch=500, keep_old=False, **options):
        backend = get_backend()
        target = backend.create_index() if hasattr(backend, "create_index") else None
        ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
        failed: set[int] = set()
        with tqdm(total=len(ids), unit="case", file=self.stderr, disable=not ids) as progress:
            for start in range(0, len(ids), batch):
                chunk = ids[start:start + batch]
                failed |= backend.index(build(chunk), target=target) if target else backend.index(build(chunk))
                progress.update(len(chunk))
        if failed:
            self.stderr.write(f"{len(failed)} cases failed; the alias was not swapped")
            return
        if target:
            old = backend.swap_alias(target)
            if not keep_old:
                for name in old:
                    backend.client.indices.delete(index=name)
        self.stdout.write(f"reindexed {len(ids)} cases")
