"""The rhythm between career conversations: cadences, the calendar feed and overdue-commitment webhooks."""
