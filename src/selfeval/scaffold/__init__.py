"""What `selfeval init` lays out: the working folder (``working_folder``) and the performance
workbook template in it (``workbook_template``)."""
