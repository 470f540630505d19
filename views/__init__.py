"""Views: the folium map builder, the static renderer and the exporters."""
