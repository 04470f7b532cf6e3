"""The contact loop: the tasks a contact plan makes, the touches that carry them out, and the
promises and disputes touches bring back; the day's worklist and the contact KPIs."""
