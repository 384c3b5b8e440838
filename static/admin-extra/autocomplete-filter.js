'use strict';
// The article list's author and tag filters (articles/admin/filters.py): choosing a value in the search box
// applies it at once, as a click on any other filter does. A file rather than inline script, for the
// site's Content-Security-Policy.
{
    const $ = django.jQuery;

    $(function() {
        // select2 reports a choice through jQuery's event system, which native listeners do not hear.
        $('form.autocomplete-filter select').on('change', function() {
            this.form.submit();
        });
    });
}
