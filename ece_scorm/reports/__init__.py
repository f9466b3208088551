"""Reports: records from the LRS, statement exports or Moodle downloads; streaming aggregation; HTML/CSV."""
