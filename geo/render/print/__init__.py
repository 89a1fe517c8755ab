"""The static figure for slides and print (``figure``) and what it marks (``figure_marks``),
drawn with matplotlib."""
