"""The union tree (federation, affiliated, grassroots and deeper units): recorded, and imported
from the spreadsheets officers keep."""
