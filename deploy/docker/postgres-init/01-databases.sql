-- Thi Đua: one database per service, owned by the POSTGRES_USER (thidua).
-- The postgres image runs this once, when it initialises an empty data volume.
CREATE DATABASE thidua_submissions;
CREATE DATABASE thidua_scoring;
CREATE DATABASE thidua_notifications;
CREATE DATABASE thidua_reporting;
