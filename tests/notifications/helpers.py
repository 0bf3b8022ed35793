"""Driving a transfer to the police through the API, for the notification
tests."""

from tests.transfers.helpers import ALL_MATERIALS, CASES, as_, open_filed_case, step


def send_transfer_to_police(api, cast) -> tuple[int, int]:
    case_id = open_filed_case(api, cast)
    proposed = as_(api, cast.officer).post(f"{CASES}{case_id}/transfers/", {
        "kind": "suspected_crime", "to_agency": cast.police.pk,
        "reason": "涉案货值三十八万元，涉嫌销售假冒注册商标的商品罪。", "materials": ALL_MATERIALS,
    }, format="json")
    assert proposed.status_code == 201, proposed.content
    tid = proposed.json()["id"]
    assert step(api, cast.head, tid, "approve").status_code == 200
    assert step(api, cast.liaison, tid, "send").status_code == 200
    return case_id, tid
