int gr_placeholder;
