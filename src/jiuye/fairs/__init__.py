"""招聘会 and 直播带岗 (issue 16, items 3 and 4) on the labour-market core: fairs on site and online (the
weekly fair of 盟民生大厦 as dated occurrences), booths and their materials, visitors' pre-registration,
check-in at the door, intentions (意向) recorded at a booth with their follow-up clock, the report, and
the 「上什么班」 live-stream schedule with its featured posts."""
