"""HTTP API of notifications: a person's inbox and contact choices (`inbox`, `contacts`); for
admins, subscribers, contacts and the delivery log (`subscribers`, `contacts`)."""

from services.notifications.api.contacts import ContactIn as ContactIn
from services.notifications.api.contacts import router as contacts
from services.notifications.api.inbox import router as inbox
from services.notifications.api.subscribers import SubscriberIn as SubscriberIn
from services.notifications.api.subscribers import router as subscribers

routers = [inbox, subscribers, contacts]
