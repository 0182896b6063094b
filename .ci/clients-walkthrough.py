"""The README walkthrough's first steps through the generated Python client (see .ci/clients).

Usage: clients-walkthrough.py BASE_URL ADMIN_PASSWORD. Fails unless every step answers with
the typed model (a generator that dropped a schema makes the client return None).
"""

import datetime
import sys
import uuid

from duban_client import AuthenticatedClient, Client
from duban_client.api.auth import login
from duban_client.api.complaints import get_complaint, register_complaint
from duban_client.api.units import create_unit
from duban_client.api.users import create_user, update_user
from duban_client.models import (
    Channel,
    ComplainantInput,
    ComplaintStatus,
    ComplaintView,
    CreateUnit,
    CreateUser,
    LoginRequest,
    LoginResponse,
    Matter,
    RegisterComplaint,
    Role,
    UnitKind,
    UnitView,
    UpdateUser,
    UserView,
)


def expect(value, kind):
    if not isinstance(value, kind):
        sys.exit(f"expected {kind.__name__}, got {value!r}")
    return value


def token(base, username, password):
    reply = login.sync(client=Client(base_url=base), body=LoginRequest(username=username, password=password))
    return expect(reply, LoginResponse).token


def main():
    base, admin_password = sys.argv[1], sys.argv[2]
    suffix = uuid.uuid4().hex[:8]
    admin = AuthenticatedClient(base_url=base, token=token(base, "admin", admin_password))

    unit = expect(
        create_unit.sync(client=admin, body=CreateUnit(name=f"Window Office {suffix}", kind=UnitKind.AGENCY)),
        UnitView,
    )
    password = f"client-intake-{suffix}"
    intake_user = expect(
        create_user.sync(
            client=admin,
            body=CreateUser(
                username=f"client-intake-{suffix}",
                display_name="Client intake",
                role=Role.INTAKE,
                password=password,
            ),
        ),
        UserView,
    )
    renamed = update_user.sync(
        client=admin,
        id=intake_user.id,
        body=UpdateUser(display_name="Client intake desk"),
        if_match=f'"{intake_user.version}"',
    )
    expect(renamed, UserView)

    intake = AuthenticatedClient(base_url=base, token=token(base, intake_user.username, password))
    registered = expect(
        register_complaint.sync(
            client=intake,
            body=RegisterComplaint(
                channel=Channel.WALK_IN,
                respondent_unit_id=unit.id,
                matter=Matter.ATTITUDE,
                account="The clerk at window 3 was rude.",
                complainant=ComplainantInput(name="Li Hua"),
            ),
        ),
        ComplaintView,
    )
    read = expect(get_complaint.sync(client=intake, id=registered.id), ComplaintView)
    assert read.id == registered.id and isinstance(read.id, uuid.UUID), read
    assert read.number == registered.number and read.number.startswith("TS-"), read.number
    assert isinstance(read.status, ComplaintStatus), read.status
    assert read.channel == Channel.WALK_IN and read.matter == Matter.ATTITUDE, read
    assert read.respondent_unit_id == unit.id, read
    assert isinstance(read.registered_at, datetime.datetime), read.registered_at
    assert read.complainant.name == "Li Hua", read.complainant
    print(f"registered and read back {read.number} ({read.status.value}) through the Python client")


if __name__ == "__main__":
    main()
