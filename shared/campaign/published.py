"""The campaign a `campaign published` event carries, read as the campaign it names.

The contract carries the file as any JSON object. Scoring kept `{}`, a file without phases,
or another campaign's file under this code (a black-box Kafka round), and reporting kept them
too: each close of the campaign's phases then failed on the copy, and reporting left the
campaign out of its dashboard. Each consumer that keeps the file reads it here first, and
refuses (parks, with the reason) one that is not the campaign it names."""

from pydantic import ValidationError

from shared.campaign.model import Campaign
from shared.contracts import CampaignPublished
from shared.messaging.cloudevents import first_errors
from shared.messaging.failures import Refused


def published_campaign(event: CampaignPublished) -> Campaign:
    """The event's file as a `Campaign`; `Refused` naming what is wrong when it is not one,
    or is another campaign's."""
    try:
        plan = Campaign.model_validate(event.definition)
    except ValidationError as error:
        raise Refused(f"definition is not a campaign file: {first_errors(error)}") from error
    if plan.code != event.campaign_code:
        raise Refused(
            f"definition is campaign {plan.code!r}, the event names {event.campaign_code!r}"
        )
    return plan
