"""`ece-scorm preview`: local server, live LMS/LRS panel, rebuild on save."""
