"""Registering petitions and walking them through their steps as the demo users (API)."""

from datetime import datetime, timedelta

PETITIONER = {
    "petitioner_name": "赵德明",
    "petitioner_phone": "13951234567",
    "petitioner_id_number": "32102319800101003X",
    "petitioner_address": "宝应县安宜镇叶挺路18号",
}
CONTENT = "本人承包的宝应县安宜镇3亩耕地被征收，至今未足额领取征地补偿款，请求核查。"


def registration(**overrides):
    return {
        **PETITIONER,
        "channel": "visit",
        "category": "征地补偿",
        "content": CONTENT,
        **overrides,
    }


def register(api, username="petition_staff", **overrides):
    response = api.post(username, "/api/v1/petition/", registration(**overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def act(api, username, petition_id, action, expected=200, **body):
    response = api.post(username, f"/api/v1/petition/{petition_id}/{action}", body)
    assert response.status_code == expected, (action, response.get_json())
    return response.get_json()


def in_days(days):
    """A date ``days`` from now, as the API takes it."""
    return (datetime.now() + timedelta(days=days)).date().isoformat()


def assigned(api, unit="baoying", **overrides):
    """A petition registered, accepted and assigned to ``unit``; returns its id."""
    petition_id = register(api, **overrides)["id"]
    act(api, "petition_staff", petition_id, "accept", decision="accept")
    act(api, "petition_staff", petition_id, "assign", unit=unit, due=in_days(20))
    return petition_id


def reviewed(api, unit="baoying", **overrides):
    """A petition answered by ``unit`` and the answer accepted; returns its id."""
    petition_id = assigned(api, unit, **overrides)
    act(api, f"{unit}_staff", petition_id, "feedback", text="经核查，补偿款已于本月补发到位。")
    act(api, "petition_staff", petition_id, "review", decision="accept")
    return petition_id
