"""Stage 3: present — tables, charts, the report's wording, HTML pieces, the Word report."""
